using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>
/// <c>POST /api/policies/simulate</c>: replays recorded action requests through the workspace's current
/// policies and through the same policies with a draft applied, and lists every decision that changes.
/// Nothing is written.
/// </summary>
public static class PolicySimulation
{
    public sealed record Request(IReadOnlyList<PolicyDto> Policies, string? Mode, string? From, string? To, int? Limit);

    public sealed record Outcome(string Decision, string Reason, IReadOnlyList<MatchedPolicyDto> MatchedPolicies);

    public sealed record Change(string ActionRequestId, string RunId, string AgentId, string ActionType, string CreatedAt,
        string RecordedDecision, Outcome Current, Outcome Draft);

    public sealed record Response(int Evaluated, int Changed, IReadOnlyList<Change> Changes);

    public static async Task<IResult> Handle(HttpContext http, Database database, PolicyStore store, VelocityReader velocity,
        IOptions<LimitsOptions> limits, TimeProvider time, Workspaces.WorkspaceStore workspaces)
    {
        var member = http.User.GetMember();
        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var f = new JsonFields(body.RootElement, new FieldErrors());
        var drafts = ReadDrafts(f);
        var mode = f.OneOf("mode", ["merge", "replace"]) ?? "merge";
        var from = f.Timestamp("from") ?? time.Now() - (7 * 86_400_000L);
        var to = f.Timestamp("to") ?? time.Now() + 1;
        var limit = (int)(f.Integer("limit", min: 1, max: 10_000) ?? 1000);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        // Shadow policies decide nothing today; a draft of one is simulated as enforced.
        var current = (await store.ListAsync(member.WorkspaceId, http.RequestAborted)).Where(p => !p.IsShadow).ToList();
        var currentSet = PolicySet.Compile(current.Select(p => p.ToDefinition())).Set;
        var draftDefinitions = (mode == "replace" ? [] : current.Where(p => drafts.All(d => d.Id != p.Id)).Select(p => p.ToDefinition()))
            .Concat(drafts).ToList();
        var compiled = PolicySet.Compile(draftDefinitions);
        var invalid = compiled.DiagnosticsByPolicyId.Where(d => d.Value.Count > 0).ToList();
        if (invalid.Count > 0)
        {
            return DiagnosticDto.Problem(invalid.SelectMany(d => d.Value).ToList());
        }

        var workspace = (await workspaces.FindAsync(member.WorkspaceId, http.RequestAborted))!;
        PolicyDecisions.TryParse(workspace.DefaultDecision, out var fallback);
        var recorded = await LoadAsync(database, member.WorkspaceId, from, to, limit, http.RequestAborted);
        var changes = new List<Change>();
        foreach (var r in recorded)
        {
            using var payload = JsonDocument.Parse(r.Payload);
            using var evidence = r.Evidence is null ? null : JsonDocument.Parse(r.Evidence);
            using var supplied = r.Context is null ? null : JsonDocument.Parse(r.Context);
            var context = new ActionContext
            {
                ActionType = r.ActionType, Provider = r.Provider, ResourceType = r.ResourceType, ResourceId = r.ResourceId,
                Payload = payload.RootElement, Evidence = evidence?.RootElement, AgentId = r.AgentId, AgentName = r.AgentName,
                AgentVersion = r.AgentVersion, RunTriggerType = r.TriggerType, RunExternalRef = r.ExternalRef,
                Source = r.Source, Context = supplied?.RootElement, RunId = r.RunId,
            };
            var before = await EvaluateAsync(currentSet, context, fallback, velocity, member.WorkspaceId, r, http.RequestAborted);
            var after = await EvaluateAsync(compiled.Set, context, fallback, velocity, member.WorkspaceId, r, http.RequestAborted);
            if (before.Decision != after.Decision)
            {
                changes.Add(new Change(r.Id, r.RunId, r.AgentId, r.ActionType, Times.ToIso(r.CreatedAt), r.Decision, before, after));
            }
        }

        return TypedResults.Ok(new Response(recorded.Count, changes.Count, changes));
    }

    private static async Task<Outcome> EvaluateAsync(PolicySet set, ActionContext context, PolicyDecision fallback, VelocityReader velocity,
        string workspaceId, Recorded r, CancellationToken ct)
    {
        // Velocity as it stood when the request was made: only requests before it count.
        var values = await velocity.ReadAsync(set.VelocityQueriesFor(context), new VelocityOwner(workspaceId, r.AgentId, r.RunId), r.CreatedAt, ct, excludeId: r.Id);
        var e = set.Evaluate(context, fallback, values);
        return new Outcome(PolicyDecisions.ToWire(e.Decision), e.Reason, e.Matched.Select(MatchedPolicyDto.From).ToList());
    }

    private static List<PolicyDefinition> ReadDrafts(JsonFields f)
    {
        var drafts = new List<PolicyDefinition>();
        if (f.Array("policies", required: true) is not { } array)
        {
            return drafts;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"policies[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                f.Errors.Add(path, "must be an object");
                continue;
            }

            var d = PolicyInput.Read(new JsonFields(item, f.Errors, path), create: true);
            var id = new JsonFields(item, f.Errors, path).String("id", maxLength: 64) ?? $"draft_{index}";
            if (d.Name is null || d.Condition is null || d.Decision is null)
            {
                continue;
            }

            PolicyDecisions.TryParse(d.Decision, out var decision);
            drafts.Add(new PolicyDefinition(id, d.Name, d.Condition, decision, d.Reason, (int)(d.Priority ?? 0), d.Enabled ?? true,
                d.AgentIds ?? [], (int)(d.ApprovalsRequired ?? 1), d.AllowEdit ?? false));
        }

        return drafts;
    }

    private static async Task<List<Recorded>> LoadAsync(Database database, string workspaceId, long from, long to, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Recorded>(
            """
            SELECT a.id AS Id, a.run_id AS RunId, a.agent_id AS AgentId, g.name AS AgentName, r.agent_version AS AgentVersion,
                   r.trigger_type AS TriggerType, r.external_ref AS ExternalRef, a.action_type AS ActionType, a.provider AS Provider,
                   a.resource_type AS ResourceType, a.resource_id AS ResourceId, a.payload AS Payload, a.evidence AS Evidence,
                   a.source AS Source, a.context AS Context, a.decision AS Decision, a.created_at AS CreatedAt
            FROM action_requests a JOIN runs r ON r.id = a.run_id JOIN agents g ON g.id = a.agent_id
            WHERE a.workspace_id = @workspaceId AND a.created_at >= @from AND a.created_at < @to
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT @limit
            """, new { workspaceId, from, to, limit })).ToList();
    }

    private sealed class Recorded
    {
        public string Id { get; init; } = "";
        public string RunId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string? AgentVersion { get; init; }
        public string TriggerType { get; init; } = "";
        public string? ExternalRef { get; init; }
        public string ActionType { get; init; } = "";
        public string? Provider { get; init; }
        public string? ResourceType { get; init; }
        public string? ResourceId { get; init; }
        public string Payload { get; init; } = "{}";
        public string? Evidence { get; init; }
        public string Source { get; init; } = "rest";
        public string? Context { get; init; }
        public string Decision { get; init; } = "";
        public long CreatedAt { get; init; }
    }
}
