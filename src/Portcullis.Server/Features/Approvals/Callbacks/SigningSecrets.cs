using System.Security.Cryptography;
using Dapper;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// A workspace's callback signing secret. SECURITY: stored only sealed by the credential vault (AES-256-GCM envelope
/// under the master key, the workspace id bound in as associated data); shown once, by the owner-only rotate.
/// </summary>
public sealed class SigningSecrets(Database database, CredentialVault vault, AuditTrail audit, TimeProvider time)
{
    private const string Prefix = "whsec_";

    /// <summary>The secret to sign with; the first delivery of a workspace that never rotated creates one.</summary>
    public async Task<string> GetOrCreateAsync(string workspaceId, CancellationToken ct)
    {
        if (await ReadAsync(workspaceId, ct) is { } existing)
        {
            return existing;
        }

        var candidate = NewSecret();
        // Two instances may race to create it: the guard keeps the first, and both then read that one back.
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE workspaces SET webhook_secret_sealed = @sealed, webhook_secret_rotated_at = @now WHERE id = @workspaceId AND webhook_secret_sealed IS NULL",
            new { @sealed = Seal(workspaceId, candidate), now = time.Now(), workspaceId }, t), ct);
        return await ReadAsync(workspaceId, ct) ?? throw new InvalidOperationException($"workspace `{workspaceId}` does not exist");
    }

    /// <summary>Replaces the secret and returns the new one; this is the only time it is ever shown.</summary>
    public async Task<(string Secret, long RotatedAt)> RotateAsync(string workspaceId, string userId, CancellationToken ct)
    {
        var secret = NewSecret();
        var now = time.Now();
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "UPDATE workspaces SET webhook_secret_sealed = @sealed, webhook_secret_rotated_at = @now WHERE id = @workspaceId",
                new { @sealed = Seal(workspaceId, secret), now, workspaceId }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "webhook_secret.rotated", "workspace", workspaceId);
        }, ct);
        return (secret, now);
    }

    /// <summary>Whether the workspace has a secret, and when it was last rotated; never the secret itself.</summary>
    public async Task<(bool Configured, long? RotatedAt)> StatusAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstAsync<(string? Sealed, long? RotatedAt)>(
            "SELECT webhook_secret_sealed, webhook_secret_rotated_at FROM workspaces WHERE id = @workspaceId", new { workspaceId });
        return (row.Sealed is not null, row.RotatedAt);
    }

    private async Task<string?> ReadAsync(string workspaceId, CancellationToken ct)
    {
        string? sealedText;
        await using (var c = await database.OpenAsync(ct))
        {
            sealedText = await c.QueryFirstOrDefaultAsync<string?>(
                "SELECT webhook_secret_sealed FROM workspaces WHERE id = @workspaceId", new { workspaceId });
        }

        return sealedText is null ? null : vault.Open(AssociatedId(workspaceId), SealedSecret.Parse(sealedText))["secret"];
    }

    private string Seal(string workspaceId, string secret) =>
        vault.Seal(AssociatedId(workspaceId), new Dictionary<string, string> { ["secret"] = secret }).ToCompactString();

    // Bound into both encryption layers, so a sealed secret copied to another workspace's row does not open.
    private static string AssociatedId(string workspaceId) => $"webhook-secret:{workspaceId}";

    private static string NewSecret() => Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
