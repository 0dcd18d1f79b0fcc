using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies.Shadow;

/// <summary><c>GET /api/policies/{id}/shadow?period=24h|7d|30d</c>: what a policy in shadow mode would have changed.</summary>
public static class ShadowApi
{
    public static async Task<IResult> Report(HttpContext http, Database database, ShadowQueries shadow, string id, string? period)
    {
        var workspaceId = http.User.GetMember().WorkspaceId;
        var exists = await database.ReadAsync(c => PolicyStore.FindAsync(c, workspaceId, id), http.RequestAborted);
        return exists is null
            ? Problems.NotFound($"policy `{id}`")
            : TypedResults.Ok(await shadow.ReportAsync(workspaceId, id, ShadowQueries.Period(period), http.RequestAborted));
    }
}
