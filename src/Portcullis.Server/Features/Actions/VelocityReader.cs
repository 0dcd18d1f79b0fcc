using System.Data.Common;
using System.Text;
using Dapper;
using Portcullis.Policies;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>Whose earlier requests the figures are about: the request's workspace, agent and run.</summary>
public sealed record VelocityOwner(string WorkspaceId, string AgentId, string? RunId);

/// <summary>
/// Answers the velocity questions of policies from recorded action requests: how many earlier requests,
/// and the sum of a payload field over them, in a time window or a run, for the agent, the workspace or the run,
/// passing the term's <c>WHERE</c> tests. Blocked requests do not count (they did not happen) unless a test names
/// <c>decision</c> or <c>status</c>.
/// </summary>
public sealed class VelocityReader(Database database)
{
    /// <param name="asOf">Requests recorded at or before this time count (the current request is not recorded yet).</param>
    /// <param name="excludeId">When replaying a recorded request, that request itself.</param>
    public async Task<IReadOnlyDictionary<VelocityQuery, decimal>?> ReadAsync(
        IReadOnlyList<VelocityQuery> queries, VelocityOwner owner, long asOf, CancellationToken ct, string? excludeId = null)
    {
        if (queries.Count == 0)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, null, queries, owner, asOf, excludeId);
    }

    /// <summary>The same figures read in the caller's transaction, so the decision and the figures it rests on are one snapshot.</summary>
    public async Task<IReadOnlyDictionary<VelocityQuery, decimal>?> ReadAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<VelocityQuery> queries, VelocityOwner owner, long asOf, string? excludeId = null)
    {
        if (queries.Count == 0)
        {
            return null;
        }

        var values = new Dictionary<VelocityQuery, decimal>();
        foreach (var q in queries)
        {
            // A test against a value this request lacks, or a run figure outside a run, has nothing to count.
            values[q] = q.MatchesNothing || (q.Scope == VelocityScope.Run && owner.RunId is null)
                ? 0
                : await ReadOneAsync(connection, transaction, q, owner, asOf, excludeId);
        }

        return values;
    }

    private Task<decimal> ReadOneAsync(DbConnection connection, DbTransaction? transaction, VelocityQuery q, VelocityOwner owner, long asOf, string? excludeId)
    {
        var args = new DynamicParameters(new
        {
            workspaceId = owner.WorkspaceId, agentId = owner.AgentId, runId = owner.RunId, since = asOf - (long)q.Window.TotalMilliseconds,
            asOf, type = q.ActionType, excludeId = excludeId ?? "",
        });
        var sql = new StringBuilder("SELECT ");
        if (q.Aggregate == VelocityAggregate.Count)
        {
            sql.Append("COUNT(*)");
        }
        else
        {
            args.Add("path", PathOf(q.SumPath!));
            sql.Append("COALESCE(SUM(").Append(database.Dialect.JsonNumber("payload", "path")).Append("), 0)");
        }

        // A replayed request counts only what came before it: in the same millisecond that is the smaller id (ids made by one
        // process increase within a millisecond). A live request is not recorded yet, so everything up to now is earlier.
        sql.Append(" FROM action_requests WHERE workspace_id = @workspaceId");
        sql.Append(excludeId is null ? " AND created_at <= @asOf" : " AND (created_at < @asOf OR (created_at = @asOf AND id < @excludeId))");
        sql.Append(q.Window > TimeSpan.Zero ? " AND created_at >= @since" : "");
        sql.Append(q.IncludesBlocked ? "" : " AND decision <> 'block'");
        sql.Append(q.Scope switch
        {
            VelocityScope.Agent => " AND agent_id = @agentId",
            VelocityScope.Run => " AND run_id = @runId",
            _ => "",
        });
        sql.Append(q.ActionType is null ? "" : " AND action_type = @type");
        for (var i = 0; i < q.Filters.Count; i++)
        {
            sql.Append(" AND ").Append(FilterSql(q.Filters[i], i, args));
        }

        return connection.ExecuteScalarAsync<decimal>(sql.ToString(), args, transaction);
    }

    /// <summary>One <c>WHERE</c> test: equal, or present and different. Recorded fields are text, so only text can equal them.</summary>
    private string FilterSql(VelocityFilter filter, int index, DynamicParameters args)
    {
        var value = filter.Value;
        var kind = value.Text is not null ? JsonScalarKind.Text : value.Number is not null ? JsonScalarKind.Number : JsonScalarKind.Boolean;
        var (valueName, pathName) = ($"f{index}", $"p{index}");
        if (filter.Field != EarlierField.Payload)
        {
            var column = filter.Field switch
            {
                EarlierField.ActionType => "action_type",
                EarlierField.Provider => "provider",
                EarlierField.ResourceType => "resource_type",
                EarlierField.ResourceId => "resource_id",
                EarlierField.Decision => "decision",
                _ => "status",
            };
            args.Add(valueName, value.Text);
            var equal = value.Text is null ? "1 = 0" : $"{column} = @{valueName}";
            return filter.Negated ? $"({column} IS NOT NULL AND NOT ({equal}))" : equal;
        }

        args.Add(pathName, PathOf(filter.PayloadPath!));
        args.Add(valueName, database.Dialect.JsonScalarParameter(kind, value.Text, value.Number ?? 0, value.Boolean ?? false));
        var equals = database.Dialect.JsonEquals("payload", pathName, kind, valueName);
        return filter.Negated ? $"({database.Dialect.JsonPresent("payload", pathName)} AND NOT {equals})" : equals;
    }

    private object PathOf(string canonicalPath) => database.Dialect.JsonPath(JsonPaths.Parse(canonicalPath));
}
