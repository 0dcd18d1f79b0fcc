using System.Text.Json;
using Portcullis.Policies.Tooling;

namespace Portcullis.Policies.Tests.Support;

/// <summary>Builders for action requests with valid defaults.</summary>
internal static class Requests
{
    public static ActionContext Refund(string payloadJson = """{"amount": 6000, "currency": "usd"}""", string? agentId = "agt_1") => new()
    {
        ActionType = "refund.create",
        Provider = "stripe",
        Payload = Json(payloadJson),
        AgentId = agentId,
    };

    public static ActionContext Of(string actionType, string payloadJson = "{}", string? agentId = "agt_1", string? evidenceJson = null) => new()
    {
        ActionType = actionType,
        Payload = Json(payloadJson),
        Evidence = evidenceJson is null ? null : Json(evidenceJson),
        AgentId = agentId,
    };

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>A request in the CLI request-file format (used by the conformance files too).</summary>
    public static ToolRequest FromRequestJson(JsonElement element)
    {
        Assert.True(RequestFile.TryRead(element, out var request, out var error), error);
        return request;
    }

    public static CompiledCondition Compile(string condition)
    {
        var result = PolicyCondition.Parse(condition);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Condition!;
    }

    public static bool Matches(string condition, ActionContext ctx, IReadOnlyDictionary<VelocityQuery, decimal>? velocity = null)
    {
        var outcome = Compile(condition).Evaluate(ctx, velocity);
        Assert.False(outcome.IsError, outcome.ErrorMessage);
        return outcome.IsMatch;
    }
}
