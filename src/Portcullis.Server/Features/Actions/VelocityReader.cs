using System.Text;
using Dapper;
using Portcullis.Policies;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Answers the velocity questions of policies from recorded action requests: how many earlier requests,
/// and the sum of a payload field over them, in a time window, for the agent or the whole workspace.
/// Blocked requests do not count: they did not happen.
/// </summary>
public sealed class VelocityReader(Database database)
{
    /// <param name="asOf">Requests recorded at or before this time count (the current request is not recorded yet).</param>
    /// <param name="excludeId">When replaying a recorded request, that request itself.</param>
    public async Task<IReadOnlyDictionary<VelocityQuery, decimal>?> ReadAsync(
        IReadOnlyList<VelocityQuery> queries, string workspaceId, string agentId, long asOf, CancellationToken ct, string? excludeId = null)
    {
        if (queries.Count == 0)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, null, queries, workspaceId, agentId, asOf, excludeId);
    }

    /// <summary>The same figures read in the caller's transaction, so the decision and the figures it rests on are one snapshot.</summary>
    public async Task<IReadOnlyDictionary<VelocityQuery, decimal>?> ReadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        IReadOnlyList<VelocityQuery> queries, string workspaceId, string agentId, long asOf, string? excludeId = null)
    {
        if (queries.Count == 0)
        {
            return null;
        }

        var values = new Dictionary<VelocityQuery, decimal>();
        foreach (var q in queries)
        {
            var sql = new StringBuilder("SELECT ");
            var args = new DynamicParameters(new { workspaceId, agentId, since = asOf - (long)q.Window.TotalMilliseconds, asOf, type = q.ActionType, excludeId = excludeId ?? "" });
            if (q.Aggregate == VelocityAggregate.Count)
            {
                sql.Append("COUNT(*)");
            }
            else
            {
                sql.Append("COALESCE(SUM(").Append(SumExpression(q.SumPath!, args)).Append("), 0)");
            }

            sql.Append(" FROM action_requests WHERE workspace_id = @workspaceId AND created_at >= @since AND created_at <= @asOf AND id <> @excludeId AND decision <> 'block'");
            if (q.Scope == VelocityScope.Agent)
            {
                sql.Append(" AND agent_id = @agentId");
            }

            if (q.ActionType is not null)
            {
                sql.Append(" AND action_type = @type");
            }

            values[q] = await connection.ExecuteScalarAsync<decimal>(sql.ToString(), args, transaction);
        }

        return values;
    }

    // Only JSON numbers are summed; a string or missing field adds nothing.
    private string SumExpression(string sumPath, DynamicParameters args)
    {
        args.Add("path", database.Dialect.JsonPath(JsonPaths.Parse(sumPath)));
        return database.Dialect.JsonNumber("payload", "path");
    }
}
