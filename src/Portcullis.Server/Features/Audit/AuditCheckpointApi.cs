using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// <c>POST /api/audit/checkpoints</c> (sign the chain's head now), <c>GET /api/audit/checkpoints</c> (newest first) and
/// <c>GET /api/audit/public-key</c> (the Ed25519 key that checks them): admins and owners only, like the rest of the audit API.
/// </summary>
public static class AuditCheckpointApi
{
    public sealed record CheckpointList(IReadOnlyList<AuditCheckpoint.Dto> Items);

    public sealed record PublicKeyDto(string Algorithm, string PublicKey, string PublicKeyId, string Pem);

    public static RouteGroupBuilder MapAuditCheckpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/audit/checkpoints", Create).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/audit/checkpoints", List).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/audit/public-key", PublicKey).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Created<AuditCheckpoint.Dto>> Create(HttpContext http, AuditCheckpoints checkpoints)
    {
        // Every workspace's chain starts with `workspace.created`, so its head exists.
        var made = await checkpoints.CreateAsync(http.User.GetMember().WorkspaceId, http.RequestAborted)
            ?? throw new InvalidOperationException("the workspace has no audit entries to checkpoint");
        return TypedResults.Created($"/api/audit/checkpoints/{made.Id}", made.ToDto());
    }

    public static async Task<Ok<CheckpointList>> List(HttpContext http, AuditCheckpoints checkpoints)
    {
        var all = await checkpoints.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted);
        return TypedResults.Ok(new CheckpointList(all.AsEnumerable().Reverse().Select(k => k.ToDto()).ToList()));
    }

    public static Ok<PublicKeyDto> PublicKey(AuditKeys keys) => TypedResults.Ok(Describe(keys));

    public static PublicKeyDto Describe(AuditKeys keys) => new("Ed25519", Convert.ToBase64String(keys.PublicKey), keys.PublicKeyId, Pem(keys.PublicKey));

    // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte prefix, then the raw key; openssl reads it.
    private static string Pem(byte[] publicKey)
    {
        byte[] prefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
        return $"-----BEGIN PUBLIC KEY-----\n{Convert.ToBase64String([.. prefix, .. publicKey])}\n-----END PUBLIC KEY-----\n";
    }
}
