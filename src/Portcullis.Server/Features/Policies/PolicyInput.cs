using System.Text.Json;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies;

/// <summary>The fields of a policy in a create or update body; null means "not given".</summary>
public sealed record PolicyInput(
    string? Name, string? Description, string? Condition, string? Decision, string? Reason, long? Priority, bool? Enabled,
    IReadOnlyList<string>? AgentIds, long? ApprovalsRequired)
{
    public const int MaxConditionLength = 10_000;
    public static readonly string[] Decisions = ["allow", "allow_with_alert", "require_approval", "block"];

    /// <summary>Reads a body; on create, name, condition and decision are required.</summary>
    public static PolicyInput Read(JsonFields f, bool create) => new(
        f.String("name", required: create, maxLength: 100),
        f.String("description", maxLength: 1000),
        f.String("condition", required: create, maxLength: MaxConditionLength),
        f.OneOf("decision", Decisions, required: create),
        f.String("reason", maxLength: 500),
        f.Integer("priority", min: -1_000_000, max: 1_000_000),
        f.Boolean("enabled"),
        ReadAgentIds(f),
        f.Integer("approvalsRequired", min: 1, max: 10));

    private static List<string>? ReadAgentIds(JsonFields f)
    {
        if (f.Array("agentIds") is not { } array)
        {
            return null;
        }

        var ids = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= 64 } id)
            {
                f.Errors.Add($"{f.Path("agentIds")}[{index}]", "must be an agent id");
            }
            else
            {
                ids.Add(id);
            }

            index++;
        }

        if (ids.Count > 100)
        {
            f.Errors.Add(f.Path("agentIds"), "must list at most 100 agents");
        }

        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>This input laid over an existing policy: what a PUT stores.</summary>
    public PolicyInput Over(PolicyRow current) => new(
        Name ?? current.Name, Description ?? current.Description, Condition ?? current.Condition, Decision ?? current.Decision,
        Reason ?? current.Reason, Priority ?? current.Priority, Enabled ?? current.Enabled, AgentIds ?? current.AgentIdList,
        ApprovalsRequired ?? current.ApprovalsRequired);
}
