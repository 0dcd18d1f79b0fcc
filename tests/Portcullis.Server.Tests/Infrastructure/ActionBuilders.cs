using System.Net;
using System.Text.Json;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>Builders for policies and action requests with valid defaults.</summary>
public static class ActionBuilders
{
    public static async Task<string> CreatePolicyAsync(this TestWorkspace ws, string name, string condition, string decision,
        string? reason = null, int priority = 0, string[]? agentIds = null, int approvalsRequired = 1)
    {
        var response = await ws.Owner().PostJson("/api/policies", new { name, condition, decision, reason, priority, agentIds, approvalsRequired });
        await response.AssertStatus(HttpStatusCode.Created);
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    public static object Refund(string runId, int amount = 7999, string? idempotencyKey = null, object? evidence = null) => new
    {
        runId,
        actionType = "refund.create",
        provider = "stripe",
        resourceType = "charge",
        resourceId = "ch_3OabcEXAMPLE",
        payload = new { charge = "ch_3OabcEXAMPLE", amount, reason = "requested_by_customer" },
        evidence = evidence ?? new { confidence = 0.92, customerTier = "premium" },
        idempotencyKey,
    };

    public static async Task<JsonElement> RequestActionAsync(this TestWorkspace ws, object body)
    {
        var response = await ws.Agent().PostJson("/api/actions/request", body);
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<List<string>> TimelineTypesAsync(this TestWorkspace ws, string runId) =>
        (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()!).ToList();
}
