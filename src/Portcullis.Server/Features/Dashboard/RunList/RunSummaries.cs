using System.Text.Json;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.RunList;

/// <summary>What the runs list adds to each run: how many actions it asked for and the latest decision it got.</summary>
public sealed record RunSummary(long Actions, string? LastDecision);

/// <summary>
/// Reads the summaries of one page of runs from their timelines (<c>ix_timeline_run_order</c> leads with <c>run_id</c>;
/// action requests have no index by run), so the cost follows the listed runs, never the workspace.
/// </summary>
public sealed class RunSummaries(Database database)
{
    public async Task<IReadOnlyDictionary<string, RunSummary>> ReadAsync(string workspaceId, IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        if (runIds.Count == 0)
        {
            return new Dictionary<string, RunSummary>();
        }

        await using var connection = await database.OpenAsync(ct);
        var counts = await connection.QueryAsync<(string RunId, long Actions, long? LastDecisionId)>(
            "SELECT run_id, SUM(CASE WHEN event_type = 'action.requested' THEN 1 ELSE 0 END), MAX(CASE WHEN event_type = 'policy.decision' THEN id END) " +
            $"FROM timeline_entries WHERE run_id {database.Dialect.InList("runIds")} AND workspace_id = @workspaceId GROUP BY run_id",
            new { runIds = runIds.ToArray(), workspaceId });
        var rows = counts.ToList();
        var decisionIds = rows.Where(r => r.LastDecisionId is not null).Select(r => r.LastDecisionId!.Value).ToList();
        var payloads = decisionIds.Count == 0
            ? []
            : (await connection.QueryAsync<(long Id, string? Payload)>(
                $"SELECT id, payload FROM timeline_entries WHERE id {database.Dialect.InList("decisionIds")}", new { decisionIds = decisionIds.ToArray() }))
                .ToDictionary(p => p.Id, p => p.Payload);
        return rows.ToDictionary(r => r.RunId, r => new RunSummary(r.Actions,
            r.LastDecisionId is { } id && payloads.TryGetValue(id, out var payload) ? DecisionOf(payload) : null));
    }

    private static string? DecisionOf(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(payload);
        return json.RootElement.TryGetProperty("decision", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
    }
}
