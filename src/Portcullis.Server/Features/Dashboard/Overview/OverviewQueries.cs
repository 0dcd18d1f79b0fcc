using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Overview;

/// <summary>
/// The figures of the overview page, each one grouped query over a workspace's rows in a time window. Every query starts
/// from an index led by <c>workspace_id</c> (action requests, approvals and alerts by time), so the cost follows the
/// window's rows, never the whole table; executions are reached through their unique <c>action_request_id</c>.
/// </summary>
public sealed class OverviewQueries(Database database, TimeProvider time)
{
    /// <summary>The payload field summed as spend, in the currency's smallest unit (Stripe's <c>refund.create</c> uses it).</summary>
    public const string SpendField = "amount";

    /// <summary>Action types counted as spend: those whose name contains this word.</summary>
    public const string SpendActionWord = "refund";

    public async Task<OverviewFigures> ReadAsync(string workspaceId, OverviewWindow window, CancellationToken ct)
    {
        var now = time.Now();
        // Buckets start on whole hours or UTC days, so a bar's label names exactly the span it counts; the last one holds now.
        var bucket = (long)window.Bucket.TotalMilliseconds;
        var since = now / bucket * bucket - (window.Buckets - 1) * bucket;
        var args = new DynamicParameters(new
        {
            ws = workspaceId,
            since,
            now,
            bucket,
            like = $"%{SpendActionWord}%",
        });
        args.Add("path", database.Dialect.JsonPath(JsonPaths.Parse(SpendField)));
        await using var connection = await database.OpenAsync(ct);
        var decisions = await connection.QueryAsync<BucketCount>(
            "SELECT (created_at - @since) / @bucket AS Bucket, decision AS Label, COUNT(*) AS Count FROM action_requests " +
            "WHERE workspace_id = @ws AND created_at >= @since GROUP BY (created_at - @since) / @bucket, decision", args);
        var pending = await connection.QueryAsync<long>(
            "SELECT created_at FROM approvals WHERE workspace_id = @ws AND status = 'pending' AND expires_at > @now", args);
        var executions = await connection.QueryAsync<PairCount>(
            "SELECT e.provider AS First, e.status AS Second, COUNT(*) AS Count FROM action_requests r " +
            "JOIN executions e ON e.action_request_id = r.id WHERE r.workspace_id = @ws AND r.created_at >= @since " +
            "GROUP BY e.provider, e.status ORDER BY COUNT(*) DESC", args);
        var agents = await connection.QueryAsync<AgentFigure>(
            "SELECT r.agent_id AS AgentId, a.name AS Name, COUNT(*) AS Requests, " +
            $"COALESCE(SUM(CASE WHEN r.action_type LIKE @like AND r.decision <> 'block' THEN {database.Dialect.JsonNumber("r.payload", "path")} END), 0) AS Spend " +
            "FROM action_requests r JOIN agents a ON a.id = r.agent_id WHERE r.workspace_id = @ws AND r.created_at >= @since " +
            "GROUP BY r.agent_id, a.name", args);
        var alerts = await connection.QueryAsync<PairCount>(
            "SELECT COALESCE(agent_id, '') AS First, kind AS Second, COUNT(*) AS Count FROM alerts " +
            "WHERE workspace_id = @ws AND created_at >= @since GROUP BY agent_id, kind", args);
        return new OverviewFigures(window, since, now, decisions.ToList(), pending.ToList(), executions.ToList(), agents.ToList(), alerts.ToList());
    }
}

/// <summary>How far back the overview looks, and the width of one bar of its time chart.</summary>
public sealed record OverviewWindow(string Key, string Label, TimeSpan Length, TimeSpan Bucket)
{
    public static readonly IReadOnlyList<OverviewWindow> All =
    [
        new("24h", "24 hours", TimeSpan.FromHours(24), TimeSpan.FromHours(1)),
        new("7d", "7 days", TimeSpan.FromDays(7), TimeSpan.FromDays(1)),
        new("30d", "30 days", TimeSpan.FromDays(30), TimeSpan.FromDays(1)),
    ];

    public static OverviewWindow Of(string? key) => All.FirstOrDefault(w => w.Key == key) ?? All[1];

    public int Buckets => (int)(Length / Bucket);
}

public sealed class BucketCount
{
    public long Bucket { get; init; }
    public string Label { get; init; } = "";
    public long Count { get; init; }
}

public sealed class PairCount
{
    public string First { get; init; } = "";
    public string Second { get; init; } = "";
    public long Count { get; init; }
}

public sealed class AgentFigure
{
    public string AgentId { get; init; } = "";
    public string Name { get; init; } = "";
    public long Requests { get; init; }
    public decimal Spend { get; init; }
}

/// <summary>What the overview read, in one window ending at <paramref name="Now"/>.</summary>
public sealed record OverviewFigures(
    OverviewWindow Window, long Since, long Now, IReadOnlyList<BucketCount> Decisions, IReadOnlyList<long> PendingCreatedAt,
    IReadOnlyList<PairCount> Executions, IReadOnlyList<AgentFigure> Agents, IReadOnlyList<PairCount> Alerts);
