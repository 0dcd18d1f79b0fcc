using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// <c>GET /api/audit</c> (filtered, paged, newest first), <c>GET /api/audit/verify</c> and <c>GET /api/audit/export</c> (NDJSON);
/// admins and owners only.
/// </summary>
public static class AuditApi
{
    public sealed record AuditEntryDto(long Seq, string Id, string OccurredAt, string ActorType, string ActorId, string Action,
        string TargetType, string TargetId, JsonElement Details, string Hash);

    public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder group)
    {
        group.MapGet("/audit", List).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/audit/verify", Verify).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/audit/export", AuditExport.Handle).RequireAuthorization(RolePolicies.Admin)
            .Produces(200, contentType: AuditExport.ContentType).ProducesProblem(400);
        return group;
    }

    /// <summary>
    /// Entries matching every given filter. <paramref name="action"/> is exact, or a prefix when it ends in
    /// <c>.*</c> (<c>policy.*</c>); <paramref name="before"/> is the <c>seq</c> cursor of the previous page.
    /// </summary>
    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> List(HttpContext http, AuditQueries audit,
        string? action, string? actorType, string? actorId, string? targetType, string? targetId, string? limit, string? before)
    {
        var query = new AuditListQuery(action, actorType, actorId, targetType, targetId, limit, before);
        return await audit.ListAsync(http.User.GetMember().WorkspaceId, query, http.RequestAborted) switch
        {
            AuditListResult.Found found => TypedResults.Ok(found.Page),
            AuditListResult.Invalid invalid => Problems.Validation(invalid.Errors),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
    }

    /// <summary>Recomputes the caller's workspace chain; <c>ok: false</c> names the first bad entry.</summary>
    public static async Task<Ok<AuditVerifier.Report>> Verify(HttpContext http, AuditVerifier verifier) =>
        TypedResults.Ok(await verifier.VerifyAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));
}
