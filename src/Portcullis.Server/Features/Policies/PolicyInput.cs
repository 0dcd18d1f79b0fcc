using System.Text.Json;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies;

/// <summary>The fields of a policy to create, or the changes of an update; null means "not given".</summary>
public sealed record PolicyInput(
    string? Name, string? Description, string? Condition, string? Decision, string? Reason, long? Priority, bool? Enabled,
    IReadOnlyList<string>? AgentIds, long? ApprovalsRequired, string? Mode = null, bool? AllowEdit = null,
    string? ApproverGroup = null, long? EscalateAfter = null, string? EscalateTo = null, string? SlackChannel = null)
{
    public const int MaxConditionLength = 10_000;
    public static readonly string[] Decisions = ["allow", "allow_with_alert", "require_approval", "block"];

    /// <summary><c>enforce</c> decides requests; <c>shadow</c> is evaluated and recorded but never changes an outcome.</summary>
    public static readonly string[] Modes = [PolicyModes.Enforce, PolicyModes.Shadow];

    /// <summary>Reads a body and applies the rules (a simulation's drafts); on create, name, condition and decision are required.</summary>
    public static PolicyInput Read(JsonFields f, bool create) => ReadTypes(f).Validate(f.Errors, create, f.Path);

    /// <summary>Reads a body checking JSON types only: the rules are <see cref="Validate"/>'s, whoever built the input.</summary>
    public static PolicyInput ReadTypes(JsonFields f) => new(
        f.Text("name"), f.Text("description"), f.Text("condition"), f.Text("decision"), f.Text("reason"),
        f.Integer("priority"), f.Boolean("enabled"), ReadAgentIds(f), f.Integer("approvalsRequired"), f.Text("mode"),
        f.Boolean("allowEdit"), f.Text("approverGroup"), f.Integer("escalateAfter"), f.Text("escalateTo"), f.Text("slackChannel"));

    // An item that is not a string keeps its place as an empty id, which Validate refuses at its index.
    private static List<string>? ReadAgentIds(JsonFields f) =>
        f.Array("agentIds")?.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : "").ToList();

    /// <summary>This input with its rules applied: each bad field is named in <paramref name="errors"/> (under <paramref name="path"/>) and left out.</summary>
    public PolicyInput Validate(FieldErrors errors, bool create, Func<string, string>? path = null)
    {
        path ??= name => name;
        return new(
            errors.Text(path("name"), Name, required: create, maxLength: 100),
            errors.Text(path("description"), Description, maxLength: 1000),
            errors.Text(path("condition"), Condition, required: create, maxLength: MaxConditionLength),
            errors.OneOf(path("decision"), Decision, Decisions, required: create),
            errors.Text(path("reason"), Reason, maxLength: 500),
            errors.Between(path("priority"), Priority, -1_000_000, 1_000_000),
            Enabled,
            ValidAgentIds(errors, path("agentIds")),
            errors.Between(path("approvalsRequired"), ApprovalsRequired, 1, 10),
            errors.OneOf(path("mode"), Mode, Modes, required: false),
            AllowEdit,
            errors.Text(path("approverGroup"), ApproverGroup, maxLength: 100),
            errors.Between(path("escalateAfter"), EscalateAfter, 60, 30L * 24 * 3600),
            errors.Text(path("escalateTo"), EscalateTo, maxLength: 100),
            errors.Text(path("slackChannel"), SlackChannel?.TrimStart('#'), maxLength: 80));
    }

    private List<string>? ValidAgentIds(FieldErrors errors, string field)
    {
        if (AgentIds is null || errors.Has(field))
        {
            return null;
        }

        var ids = new List<string>();
        for (var index = 0; index < AgentIds.Count; index++)
        {
            if (AgentIds[index] is { Length: > 0 and <= 64 } id)
            {
                ids.Add(id);
            }
            else
            {
                errors.Add($"{field}[{index}]", "must be an agent id");
            }
        }

        if (ids.Count > 100)
        {
            errors.Add(field, "must list at most 100 agents");
        }

        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The problems of the condition, or null when it parses (or was not given).</summary>
    public IReadOnlyList<Portcullis.Policies.Diagnostic>? ConditionDiagnostics() =>
        Condition is not null && Portcullis.Policies.PolicyCondition.Parse(Condition) is { Success: false } parsed ? parsed.Diagnostics : null;

    /// <summary>A complete input (a create, or an update laid <see cref="Over"/> its policy) as the row to store.</summary>
    public PolicyRow ToRow(string id, long version, long createdAt, long updatedAt) => new()
    {
        Id = id,
        Version = version,
        Name = Name!,
        Description = Description,
        Condition = Condition!,
        Decision = Decision!,
        Reason = Reason,
        Priority = Priority ?? 0,
        Enabled = Enabled ?? true,
        AgentIds = PolicyStore.AgentIdsJson(AgentIds),
        ApprovalsRequired = ApprovalsRequired ?? 1,
        Mode = Mode ?? PolicyModes.Enforce,
        AllowEdit = AllowEdit ?? false,
        ApproverGroup = Blank(ApproverGroup),
        EscalateAfterSeconds = EscalateAfter,
        EscalateTo = Blank(EscalateTo),
        SlackChannel = Blank(SlackChannel),
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };

    /// <summary>This input laid over an existing policy: what a PUT stores.</summary>
    public PolicyInput Over(PolicyRow current) => new(
        Name ?? current.Name, Description ?? current.Description, Condition ?? current.Condition, Decision ?? current.Decision,
        Reason ?? current.Reason, Priority ?? current.Priority, Enabled ?? current.Enabled, AgentIds ?? current.AgentIdList,
        ApprovalsRequired ?? current.ApprovalsRequired, Mode ?? current.Mode, AllowEdit ?? current.AllowEdit,
        ApproverGroup ?? current.ApproverGroup, EscalateAfter ?? current.EscalateAfterSeconds, EscalateTo ?? current.EscalateTo,
        SlackChannel ?? current.SlackChannel);

    // An empty string clears a group on update (null keeps the current one).
    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

public static class PolicyModes
{
    public const string Enforce = "enforce";
    public const string Shadow = "shadow";
}
