using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// A filter of the audit log as the caller gave it (query-string text). <c>Action</c> is exact, or a prefix when it ends
/// in <c>.*</c> (<c>policy.*</c>); <c>Before</c> is the <c>seq</c> cursor of the previous page.
/// </summary>
public sealed record AuditListQuery(string? Action = null, string? ActorType = null, string? ActorId = null, string? TargetType = null,
    string? TargetId = null, string? Limit = null, string? Before = null);

public abstract record AuditListResult
{
    private AuditListResult()
    {
    }

    public sealed record Found(AuditApi.AuditPage Page) : AuditListResult;

    public sealed record Invalid(FieldErrors Errors) : AuditListResult;
}

/// <summary>The audit log, newest first: shared by <c>GET /api/audit</c> and the dashboard's Audit page.</summary>
public sealed class AuditQueries(Database database, AuditChainer chainer)
{
    public async Task<AuditListResult> ListAsync(string workspaceId, AuditListQuery query, CancellationToken ct)
    {
        var (action, actorType, actorId, targetType, targetId, _, before) = query;
        var (take, beforeSeq, prefix, errors) = Read(query);
        if (errors.Any)
        {
            return new AuditListResult.Invalid(errors);
        }

        var sql = new StringBuilder(
            "SELECT seq AS Seq, id AS Id, occurred_at AS OccurredAt, actor_type AS ActorType, actor_id AS ActorId, action AS Action, " +
            "target_type AS TargetType, target_id AS TargetId, details AS Details, hash AS Hash FROM audit_entries WHERE workspace_id = @ws");
        if (action is not null) { sql.Append(prefix is null ? " AND action = @action" : " AND action LIKE @like"); }
        if (actorType is not null) { sql.Append(" AND actor_type = @actorType"); }
        if (actorId is not null) { sql.Append(" AND actor_id = @actorId"); }
        if (targetType is not null) { sql.Append(" AND target_type = @targetType"); }
        if (targetId is not null) { sql.Append(" AND target_id = @targetId"); }
        if (before is not null) { sql.Append(" AND seq < @beforeSeq"); }
        sql.Append(" ORDER BY seq DESC LIMIT @take");

        // Chain first, so entries appended a moment ago are listed with their seq and hash.
        await chainer.ChainAsync(workspaceId, ct);
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(sql.ToString(), new
        {
            ws = workspaceId,
            action,
            like = prefix + "%",
            actorType,
            actorId,
            targetType,
            targetId,
            beforeSeq,
            take = take + 1,
        })).ToList();
        var items = rows.Take(take).Select(r => r.ToDto()).ToList();
        return new AuditListResult.Found(new AuditApi.AuditPage(items, rows.Count > take ? items[^1].Seq : null));
    }

    // The filter's text read into values; an action is a plain dotted word (or a prefix of one) so it cannot carry LIKE wildcards.
    private static (int Take, long BeforeSeq, string? Prefix, FieldErrors Errors) Read(AuditListQuery query)
    {
        var (action, limit, before) = (query.Action, query.Limit, query.Before);
        var errors = new FieldErrors();
        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            errors.Add("limit", "must be between 1 and 200");
        }

        long beforeSeq = 0;
        if (before is not null && (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out beforeSeq) || beforeSeq < 1))
        {
            errors.Add("before", "must be a seq this API returned");
        }

        var prefix = action is not null && action.EndsWith(".*", StringComparison.Ordinal) ? action[..^1] : null;
        if (action is not null && (action.Length > 100 || !(prefix ?? action).All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')))
        {
            errors.Add("action", "must be an action such as `policy.updated`, or a prefix such as `policy.*`");
        }

        return (take, beforeSeq, prefix, errors);
    }

    private sealed class Row
    {
        public long Seq { get; init; }
        public string Id { get; init; } = "";
        public long OccurredAt { get; init; }
        public string ActorType { get; init; } = "";
        public string ActorId { get; init; } = "";
        public string Action { get; init; } = "";
        public string TargetType { get; init; } = "";
        public string TargetId { get; init; } = "";
        public string Details { get; init; } = "{}";
        public byte[] Hash { get; init; } = [];

        public AuditApi.AuditEntryDto ToDto()
        {
            using var details = JsonDocument.Parse(Details);
            return new AuditApi.AuditEntryDto(Seq, Id, Times.ToIso(OccurredAt), ActorType, ActorId, Action, TargetType, TargetId,
                details.RootElement.Clone(), AuditEntry.Hex(Hash));
        }
    }
}
