using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals;

/// <summary>Reads approvals. Every read is scoped by workspace: another workspace's id reads as unknown.</summary>
public sealed class ApprovalQueries(Database database)
{
    public sealed record Filter(string? Status, string? AgentId, string? ActionType, int Take, ApprovalCursor? After);

    private static readonly string FindSql = ApprovalRow.Select + " WHERE a.id = @id AND a.workspace_id = @workspaceId";

    // Agents long-poll this read every few hundred milliseconds: a pooled connection keeps it prepared.
    public Task<ApprovalRow?> FindAsync(string id, string workspaceId, CancellationToken ct) =>
        database.ReadAsync(c => FindAsync(c, id, workspaceId), ct);

    public static Task<ApprovalRow?> FindAsync(DbConnection connection, string id, string workspaceId, DbTransaction? transaction = null) =>
        PreparedSql.QueryFirstAsync(connection, transaction, FindSql, ApprovalRow.Read, ("id", id), ("workspaceId", workspaceId));

    /// <summary>One page. Pending approvals are a queue (oldest first); any other listing is history (newest first).</summary>
    public async Task<IReadOnlyList<ApprovalRow>> ListAsync(string workspaceId, Filter filter, CancellationToken ct)
    {
        var oldestFirst = filter.Status == ApprovalStatus.Pending;
        var sql = new StringBuilder(ApprovalRow.Select).Append(" WHERE a.workspace_id = @workspaceId");
        var args = new DynamicParameters(new { workspaceId, take = filter.Take });
        AddFilter(sql, args, "a.status", "status", filter.Status);
        AddFilter(sql, args, "a.agent_id", "agentId", filter.AgentId);
        AddFilter(sql, args, "r.action_type", "actionType", filter.ActionType);
        if (filter.After is { } after)
        {
            var op = oldestFirst ? ">" : "<";
            sql.Append(CultureInfo.InvariantCulture, $" AND (a.created_at {op} @cAt OR (a.created_at = @cAt AND a.id {op} @cId))");
            args.Add("cAt", after.CreatedAt);
            args.Add("cId", after.Id);
        }

        sql.Append(oldestFirst ? " ORDER BY a.created_at, a.id" : " ORDER BY a.created_at DESC, a.id DESC").Append(" LIMIT @take");
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ApprovalRow, ExecutionRow, ApprovalRow>(
            sql.ToString(), (a, e) => { a.Execution = e; return a; }, args, splitOn: "Id");
        return rows.ToList();
    }

    /// <summary>The approver's view of one approval.</summary>
    public async Task<ApprovalDetailDto> DetailAsync(ApprovalRow row, CancellationToken ct) =>
        row.ToDetailDto((await DecisionsAsync([row.Id], ct))[row.Id].ToList());

    /// <summary>Each approver's decision on the given approvals, in the order they were made.</summary>
    public async Task<ILookup<string, ApprovalDecisionDto>> DecisionsAsync(IReadOnlyCollection<string> approvalIds, CancellationToken ct)
    {
        if (approvalIds.Count == 0)
        {
            return Array.Empty<ApprovalDecisionDto>().ToLookup(_ => "");
        }

        var match = database.Dialect.InList("approvalIds");
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<DecisionRow>(
            $"""
            SELECT d.approval_id AS ApprovalId, d.user_id AS UserId, u.name AS Name, d.decision AS Decision, d.comment AS Comment, d.decided_at AS DecidedAt, d.channel AS Channel
            FROM approval_decisions d JOIN users u ON u.id = d.user_id
            WHERE d.approval_id {match} ORDER BY d.decided_at, d.user_id
            """, new { approvalIds = approvalIds.ToArray() });
        return rows.ToLookup(r => r.ApprovalId, r => new ApprovalDecisionDto(r.UserId, r.Name, r.Decision, r.Comment, Times.ToIso(r.DecidedAt), r.Channel));
    }

    /// <summary>Approvals of a workspace (or of all, when null) that are pending past their expiry, soonest first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(string? workspaceId, long now, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // Past the deadline, or due to escalate (escalate_at is set only with a group to escalate to).
        var sql = "SELECT id FROM approvals WHERE status = 'pending' AND (expires_at <= @now OR (escalated_at IS NULL AND escalate_at <= @now))"
            + (workspaceId is null ? "" : " AND workspace_id = @workspaceId") + " ORDER BY expires_at, id LIMIT @limit";
        return (await connection.QueryAsync<string>(sql, new { now, workspaceId, limit })).ToList();
    }

    private static void AddFilter(StringBuilder sql, DynamicParameters args, string column, string name, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{name}");
            args.Add(name, value);
        }
    }

    private sealed class DecisionRow
    {
        public string ApprovalId { get; init; } = "";
        public string UserId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Decision { get; init; } = "";
        public string? Comment { get; init; }
        public long DecidedAt { get; init; }
        public string? Channel { get; init; }
    }
}

/// <summary>Keyset paging position (created_at, id) as an opaque token.</summary>
public readonly record struct ApprovalCursor(long CreatedAt, string Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CreatedAt.ToString(CultureInfo.InvariantCulture)}|{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ApprovalCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200)
        {
            return null;
        }

        var padded = cursor.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        Span<byte> bytes = stackalloc byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes[..written]);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            ? new ApprovalCursor(at, text[(bar + 1)..])
            : null;
    }
}
