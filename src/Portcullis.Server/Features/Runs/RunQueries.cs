using System.Globalization;
using System.Text;
using Dapper;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary>A filter of the runs list as the caller gave it (query-string text); every field may be absent.</summary>
public sealed record RunListQuery(string? Status = null, string? AgentId = null, string? TriggerType = null, string? ExternalRef = null,
    string? From = null, string? To = null, string? Limit = null, string? Cursor = null, string? Decision = null);

public abstract record RunListResult
{
    private RunListResult()
    {
    }

    public sealed record Found(RunsQueryApi.RunPage Page) : RunListResult;

    public sealed record Invalid(FieldErrors Errors) : RunListResult;
}

/// <summary>
/// The read side of runs: a filtered, paged list and one run with its timeline, shared by <c>GET /api/runs…</c>
/// and the dashboard's Runs pages.
/// </summary>
public sealed class RunQueries(Database database)
{
    public async Task<RunListResult> ListAsync(string workspaceId, RunListQuery query, CancellationToken ct)
    {
        var (filter, errors) = RunListFilter.Read(query);
        if (errors.Any)
        {
            return new RunListResult.Invalid(errors);
        }

        var sql = new StringBuilder($"SELECT {RunRow.Columns} FROM runs WHERE workspace_id = @ws");
        var args = new DynamicParameters(new { ws = workspaceId, take = filter.Take + 1 });
        AddFilter(sql, args, "status", query.Status);
        AddFilter(sql, args, "agent_id", query.AgentId);
        AddFilter(sql, args, "trigger_type", query.TriggerType);
        AddFilter(sql, args, "external_ref", query.ExternalRef);
        if (query.Decision is not null)
        {
            // Runs with at least one request decided so (the overview's decision bars open this list); ix_action_requests_run.
            sql.Append(" AND EXISTS (SELECT 1 FROM action_requests a WHERE a.run_id = runs.id AND a.decision = @decision)");
            args.Add("decision", query.Decision);
        }

        if (filter.FromMs is not null) { sql.Append(" AND started_at >= @fromMs"); args.Add("fromMs", filter.FromMs); }
        if (filter.ToMs is not null) { sql.Append(" AND started_at < @toMs"); args.Add("toMs", filter.ToMs); }
        if (filter.After is { } a)
        {
            sql.Append(" AND (started_at < @cAt OR (started_at = @cAt AND id < @cId))");
            args.Add("cAt", a.StartedAt);
            args.Add("cId", a.Id);
        }

        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT @take");
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<RunRow>(sql.ToString(), args)).ToList();
        var next = rows.Count > filter.Take ? RunCursor.Encode(rows[filter.Take - 1]) : null;
        return new RunListResult.Found(new RunsQueryApi.RunPage(rows.Take(filter.Take).Select(r => r.ToDto()).ToList(), next));
    }

    /// <summary>The run and its timeline in order, or null when the workspace has no run of that id.</summary>
    public async Task<RunsQueryApi.RunWithTimeline?> GetWithTimelineAsync(string workspaceId, string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // INVARIANT: scoped by workspace; another workspace's run id is indistinguishable from an unknown one.
        var run = await connection.QueryFirstOrDefaultAsync<RunRow>(
            $"SELECT {RunRow.Columns} FROM runs WHERE id = @runId AND workspace_id = @workspaceId", new { runId, workspaceId });
        if (run is null)
        {
            return null;
        }

        var entries = await connection.QueryAsync<TimelineEntryRow>(
            $"SELECT {TimelineEntryRow.Columns} FROM timeline_entries WHERE run_id = @runId {TimelineEntryRow.OrderBy}", new { runId });
        return new RunsQueryApi.RunWithTimeline(run.ToDto(), entries.Select(e => e.ToDto()).ToList());
    }

    private static void AddFilter(StringBuilder sql, DynamicParameters args, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
            args.Add(column, value);
        }
    }
}
