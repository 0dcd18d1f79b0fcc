using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace Portcullis.Server.Features.Runs;

/// <summary>Reads runs and their timelines. Every read is scoped by workspace: another workspace's run reads as unknown.</summary>
public static class RunQueries
{
    /// <param name="From">Runs started at or after this time (epoch ms).</param>
    /// <param name="To">Runs started before this time (epoch ms).</param>
    public sealed record Filter(string? Status, string? AgentId, string? TriggerType, string? ExternalRef, long? From, long? To, RunCursor? After, int Limit);

    /// <summary>Up to <c>Limit</c> runs, newest first, after the cursor.</summary>
    public static async Task<IReadOnlyList<RunRow>> ListAsync(DbConnection connection, string workspaceId, Filter filter)
    {
        var sql = new StringBuilder($"SELECT {RunRow.Columns} FROM runs WHERE workspace_id = @ws");
        var args = new DynamicParameters(new { ws = workspaceId, take = filter.Limit });
        AddFilter(sql, args, "status", filter.Status);
        AddFilter(sql, args, "agent_id", filter.AgentId);
        AddFilter(sql, args, "trigger_type", filter.TriggerType);
        AddFilter(sql, args, "external_ref", filter.ExternalRef);
        if (filter.From is not null)
        {
            sql.Append(" AND started_at >= @fromMs");
            args.Add("fromMs", filter.From);
        }

        if (filter.To is not null)
        {
            sql.Append(" AND started_at < @toMs");
            args.Add("toMs", filter.To);
        }

        if (filter.After is { } a)
        {
            sql.Append(" AND (started_at < @cAt OR (started_at = @cAt AND id < @cId))");
            args.Add("cAt", a.StartedAt);
            args.Add("cId", a.Id);
        }

        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT @take");
        return (await connection.QueryAsync<RunRow>(sql.ToString(), args)).ToList();
    }

    public static Task<RunRow?> FindAsync(DbConnection connection, string workspaceId, string id) =>
        connection.QueryFirstOrDefaultAsync<RunRow>($"SELECT {RunRow.Columns} FROM runs WHERE id = @id AND workspace_id = @ws", new { id, ws = workspaceId });

    /// <summary>A run's timeline in order; call it for a run <see cref="FindAsync"/> found, which checked the workspace.</summary>
    public static async Task<IReadOnlyList<TimelineEntryRow>> TimelineAsync(DbConnection connection, string runId) =>
        (await connection.QueryAsync<TimelineEntryRow>(
            $"SELECT {TimelineEntryRow.Columns} FROM timeline_entries WHERE run_id = @id {TimelineEntryRow.OrderBy}", new { id = runId })).ToList();

    private static void AddFilter(StringBuilder sql, DynamicParameters args, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
            args.Add(column, value);
        }
    }
}
