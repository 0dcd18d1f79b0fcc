using Portcullis.Policies;
using Portcullis.Policies.Tooling;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies.Files;

/// <summary>A problem of one policy of an imported file: the language's diagnostic plus which policy it is about.</summary>
/// <param name="Index">1-based position of the policy in the file.</param>
public sealed record FileDiagnosticDto(string Policy, int Index, string Code, string Message, int Line, int Column, int Length, string Excerpt);

/// <summary>
/// What importing a policies file would do to a workspace's live policies, matched by name: add the new names, update
/// the changed ones, keep the identical ones, and remove every live policy the file does not name (the file is the
/// whole policy set). Pure: the caller reads the current state and applies <see cref="Added"/>, <see cref="Changed"/>
/// and <see cref="Removed"/>.
/// </summary>
public sealed record PolicyImportPlan(
    IReadOnlyList<PolicyInput> Added,
    IReadOnlyList<(PolicyRow Current, PolicyInput Next)> Changed,
    IReadOnlyList<PolicyRow> Removed,
    IReadOnlyList<string> Unchanged)
{
    public const int MaxPolicies = 1000;

    public bool ChangesAnything => Added.Count + Changed.Count + Removed.Count > 0;

    /// <summary>The plan, or null with every problem of the file in <paramref name="problems"/> (all-or-nothing).</summary>
    public static PolicyImportPlan? Create(IReadOnlyList<PolicyFileEntry> entries, IReadOnlyList<PolicyRow> current,
        IReadOnlySet<string> knownAgents, out List<FileDiagnosticDto> problems)
    {
        problems = [];
        var inputs = new List<PolicyInput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var found = ProblemsOf(entries[i], knownAgents, seen, out var input);
            problems.AddRange(found.Select(d => new FileDiagnosticDto(entries[i].DisplayName, i + 1, d.Code, d.Message, d.Line, d.Column, d.Length, d.Excerpt)));
            if (input is not null)
            {
                inputs.Add(input);
            }
        }

        return problems.Count > 0 ? null : Diff(inputs, current);
    }

    private static List<Diagnostic> ProblemsOf(PolicyFileEntry entry, IReadOnlySet<string> knownAgents, HashSet<string> seen, out PolicyInput? valid)
    {
        valid = null;
        if (entry.Definition is not { } d)
        {
            return [.. entry.Problems];
        }

        var errors = new FieldErrors();
        var input = new PolicyInput(d.Name, entry.Description, d.Condition, PolicyDecisions.ToWire(d.Decision), d.Reason, d.Priority,
            d.Enabled, d.AgentIds ?? [], d.ApprovalsRequired, entry.Mode ?? PolicyModes.Enforce, d.AllowEdit,
            d.Routing?.Group, d.Routing?.EscalateAfterSeconds, d.Routing?.EscalateTo, entry.SlackChannel).Validate(errors, create: true);
        var problems = errors.ToDictionary().SelectMany(e => e.Value.Select(m => Problem($"`{e.Key}` {m}"))).ToList();
        problems.AddRange(PolicyCondition.Parse(d.Condition).Diagnostics);
        if (!seen.Add(d.Name))
        {
            // Names identify policies across workspaces (ids do not travel), so two entries may not share one.
            problems.Add(Problem($"the name `{d.Name}` is used by an earlier policy of the file"));
        }

        var unknown = (d.AgentIds ?? []).Where(a => !knownAgents.Contains(a)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(Problem($"`agentIds` names no agent of this workspace: {string.Join(", ", unknown.Select(u => $"`{u}`"))}"));
        }

        valid = problems.Count == 0 ? input : null;
        return problems;
    }

    private static Diagnostic Problem(string message) => new(DiagnosticCodes.InvalidPolicy, message, 0, 0, 0, "");

    private static PolicyImportPlan Diff(List<PolicyInput> inputs, IReadOnlyList<PolicyRow> current)
    {
        // Two live policies may share a name (the API allows it): the oldest id is matched, the others are removed.
        var byName = current.OrderBy(r => r.Id, StringComparer.Ordinal).GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var (added, changed, unchanged) = (new List<PolicyInput>(), new List<(PolicyRow, PolicyInput)>(), new List<string>());
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!byName.TryGetValue(input.Name!, out var row))
            {
                added.Add(input);
                continue;
            }

            matched.Add(row.Id);
            if (Same(row, input))
            {
                unchanged.Add(input.Name!);
            }
            else
            {
                changed.Add((row, input));
            }
        }

        var removed = current.Where(r => !matched.Contains(r.Id)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        return new PolicyImportPlan(added, changed, removed, unchanged);
    }

    private static bool Same(PolicyRow row, PolicyInput input) =>
        row.Description == input.Description && row.Condition == input.Condition && row.Decision == input.Decision
        && row.Reason == input.Reason && row.Priority == (input.Priority ?? 0) && row.Enabled == (input.Enabled ?? true)
        && row.ApprovalsRequired == (input.ApprovalsRequired ?? 1) && row.AgentIdList.SequenceEqual(input.AgentIds ?? [], StringComparer.Ordinal)
        && row.Mode == (input.Mode ?? PolicyModes.Enforce) && row.AllowEdit == (input.AllowEdit ?? false)
        && row.ApproverGroup == input.ApproverGroup && row.EscalateAfterSeconds == input.EscalateAfter && row.EscalateTo == input.EscalateTo
        && row.SlackChannel == input.SlackChannel;
}
