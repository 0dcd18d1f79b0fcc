using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary><c>GET /api/audit</c> (filtered, paged, newest first) and <c>GET /api/audit/verify</c>; admins and owners only.</summary>
public static class AuditApi
{
    public sealed record AuditEntryDto(long Seq, string Id, string OccurredAt, string ActorType, string ActorId, string Action,
        string TargetType, string TargetId, JsonElement Details, string Hash);

    public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder group)
    {
        group.MapGet("/audit", List).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/audit/verify", Verify).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    /// <summary>
    /// Entries matching every given filter. <paramref name="action"/> is exact, or a prefix when it ends in
    /// <c>.*</c> (<c>policy.*</c>); <paramref name="before"/> is the <c>seq</c> cursor of the previous page.
    /// </summary>
    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> List(HttpContext http, Database database,
        string? action, string? actorType, string? actorId, string? targetType, string? targetId, string? limit, string? before)
    {
        var member = http.User.GetMember();
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
        // Actions are plain dotted words; anything else could smuggle LIKE wildcards into the prefix.
        if (action is not null && (action.Length > 100 || !(prefix ?? action).All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')))
        {
            errors.Add("action", "must be an action such as `policy.updated`, or a prefix such as `policy.*`");
        }

        if (errors.Any)
        {
            return Problems.Validation(errors);
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

        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = (await connection.QueryAsync<Row>(sql.ToString(), new
        {
            ws = member.WorkspaceId,
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
        return TypedResults.Ok(new AuditPage(items, rows.Count > take ? items[^1].Seq : null));
    }

    /// <summary>Recomputes the caller's workspace chain; <c>ok: false</c> names the first bad entry.</summary>
    public static async Task<Ok<AuditVerifier.Report>> Verify(HttpContext http, AuditVerifier verifier) =>
        TypedResults.Ok(await verifier.VerifyAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

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

        public AuditEntryDto ToDto()
        {
            using var details = JsonDocument.Parse(Details);
            return new AuditEntryDto(Seq, Id, Times.ToIso(OccurredAt), ActorType, ActorId, Action, TargetType, TargetId,
                details.RootElement.Clone(), AuditEntry.Hex(Hash));
        }
    }
}
