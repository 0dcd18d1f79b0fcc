using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// The callback side of approvals: <c>GET /api/approvals/{id}/deliveries</c> (every delivery and each of its attempts),
/// and the workspace's signing secret (<c>GET /api/workspace/webhook-secret</c>, owner-only <c>POST …/rotate</c>).
/// </summary>
public static class CallbacksApi
{
    public sealed record AttemptDto(int Attempt, string AttemptedAt, long DurationMs, int? StatusCode, string? Error);

    public sealed record DeliveryDto(
        string Id, string Event, string Url, string Status, int Attempts, string? NextAttemptAt, int? LastStatus, string? LastError,
        string? DeliveredAt, string CreatedAt, IReadOnlyList<AttemptDto> History);

    public sealed record DeliveryList(IReadOnlyList<DeliveryDto> Items);

    public sealed record SecretStatus(bool Configured, string? RotatedAt);

    public sealed record RotatedSecret(string Secret, string RotatedAt, string Header, string Algorithm);

    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> Deliveries(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var c = await database.OpenAsync(http.RequestAborted);
        var known = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM approvals WHERE id = @id AND workspace_id = @ws", new { id, ws = member.WorkspaceId });
        if (known == 0)
        {
            return Problems.NotFound($"approval `{id}`");
        }

        var deliveries = (await c.QueryAsync<DeliveryRow>(
            """
            SELECT id AS Id, event AS Event, url AS Url, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_status AS LastStatus, last_error AS LastError, delivered_at AS DeliveredAt, created_at AS CreatedAt
            FROM webhook_deliveries WHERE approval_id = @id AND workspace_id = @ws ORDER BY created_at, id
            """, new { id, ws = member.WorkspaceId })).ToList();
        var attempts = (await c.QueryAsync<AttemptRow>(
            """
            SELECT w.delivery_id AS DeliveryId, w.attempt AS Attempt, w.attempted_at AS AttemptedAt, w.duration_ms AS DurationMs,
                   w.status_code AS StatusCode, w.error AS Error
            FROM webhook_attempts w JOIN webhook_deliveries d ON d.id = w.delivery_id
            WHERE d.approval_id = @id AND d.workspace_id = @ws ORDER BY w.attempt
            """, new { id, ws = member.WorkspaceId })).ToLookup(a => a.DeliveryId);
        return TypedResults.Ok(new DeliveryList(deliveries.Select(d => new DeliveryDto(
            d.Id, d.Event, WithoutQuery(d.Url), d.Status, (int)d.Attempts, d.Status == CallbackOutbox.Pending ? Times.ToIso(d.NextAttemptAt) : null,
            (int?)d.LastStatus, d.LastError, Times.ToIso(d.DeliveredAt), Times.ToIso(d.CreatedAt),
            attempts[d.Id].Select(a => new AttemptDto((int)a.Attempt, Times.ToIso(a.AttemptedAt), a.DurationMs, (int?)a.StatusCode, a.Error)).ToList()))
            .ToList()));
    }

    public static async Task<Ok<SecretStatus>> Status(HttpContext http, SigningSecrets secrets)
    {
        var (configured, rotatedAt) = await secrets.StatusAsync(http.User.GetMember().WorkspaceId, http.RequestAborted);
        return TypedResults.Ok(new SecretStatus(configured, Times.ToIso(rotatedAt)));
    }

    /// <summary>SECURITY: the only answer that ever carries the secret; it is not stored in the clear anywhere.</summary>
    public static async Task<Ok<RotatedSecret>> Rotate(HttpContext http, SigningSecrets secrets)
    {
        var member = http.User.GetMember();
        var (secret, rotatedAt) = await secrets.RotateAsync(member.WorkspaceId, member.UserId, CancellationToken.None);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedSecret(secret, Times.ToIso(rotatedAt), CallbackSignature.Header, "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>"));
    }

    // SECURITY: agents sometimes put a token in the callback URL's query; the list shows where, not how.
    private static string WithoutQuery(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url : url[..query] + "?…";
    }

    private sealed class DeliveryRow
    {
        public string Id { get; init; } = "";
        public string Event { get; init; } = "";
        public string Url { get; init; } = "";
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public long NextAttemptAt { get; init; }
        public long? LastStatus { get; init; }
        public string? LastError { get; init; }
        public long? DeliveredAt { get; init; }
        public long CreatedAt { get; init; }
    }

    private sealed class AttemptRow
    {
        public string DeliveryId { get; init; } = "";
        public long Attempt { get; init; }
        public long AttemptedAt { get; init; }
        public long DurationMs { get; init; }
        public long? StatusCode { get; init; }
        public string? Error { get; init; }
    }
}
