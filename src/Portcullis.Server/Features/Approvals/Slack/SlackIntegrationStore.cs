using Dapper;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>A workspace's Slack app for approvals, without its secrets: what <c>GET /api/integrations/slack</c> shows.</summary>
public sealed record SlackIntegration(string WorkspaceId, string TeamId, string? TeamName, string DefaultChannel, string TokenHint, long CreatedAt, long UpdatedAt);

/// <summary>The secrets of a connected app, opened from the vault only where a call or a signature check needs them.</summary>
public sealed record SlackSecrets(string BotToken, string SigningSecret);

/// <summary>
/// The <c>slack_integrations</c> rows. SECURITY: the bot token and signing secret are stored only sealed by the credential
/// vault (AES-256-GCM envelope under the master key, the workspace id bound in as associated data) and never read back
/// through any API; the hint shows the token's prefix and last four characters.
/// </summary>
public sealed class SlackIntegrationStore(Database database, CredentialVault vault, AuditTrail audit, TimeProvider time)
{
    private const string Columns =
        "workspace_id AS WorkspaceId, team_id AS TeamId, team_name AS TeamName, default_channel AS DefaultChannel, token_hint AS TokenHint, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<SlackIntegration?> FindAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<SlackIntegration>($"SELECT {Columns} FROM slack_integrations WHERE workspace_id = @workspaceId", new { workspaceId });
    }

    /// <summary>Connects (or reconnects) the workspace's app; the audit entry names the team and channel, never a secret.</summary>
    public async Task<SlackIntegration> SaveAsync(string workspaceId, string userId, string teamId, string? teamName, string defaultChannel, SlackSecrets secrets,
        CancellationToken ct)
    {
        var now = time.Now();
        var sealedText = vault.Seal(AssociatedId(workspaceId), new Dictionary<string, string>
        {
            ["botToken"] = secrets.BotToken,
            ["signingSecret"] = secrets.SigningSecret,
        }).ToCompactString();
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO slack_integrations (workspace_id, team_id, team_name, default_channel, secrets_sealed, token_hint, created_at, updated_at)
                VALUES (@workspaceId, @teamId, @teamName, @defaultChannel, @sealedText, @hint, @now, @now)
                ON CONFLICT (workspace_id) DO UPDATE SET team_id = @teamId, team_name = @teamName, default_channel = @defaultChannel,
                    secrets_sealed = @sealedText, token_hint = @hint, updated_at = @now
                """, new { workspaceId, teamId, teamName, defaultChannel, sealedText, hint = Hint(secrets.BotToken), now }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "slack_integration.connected", "workspace", workspaceId,
                new { teamId, defaultChannel });
        }, ct);
        return (await FindAsync(workspaceId, ct))!;
    }

    public Task<bool> DeleteAsync(string workspaceId, string userId, CancellationToken ct) => database.WriteAsync(async (c, t) =>
    {
        if (await c.ExecuteAsync("DELETE FROM slack_integrations WHERE workspace_id = @workspaceId", new { workspaceId }, t) == 0)
        {
            return false;
        }

        await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "slack_integration.disconnected", "workspace", workspaceId);
        return true;
    }, ct);

    /// <summary>The opened secrets of the workspace's app; null when none is connected.</summary>
    public async Task<SlackSecrets?> SecretsAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var sealedText = await c.QueryFirstOrDefaultAsync<string?>(
            "SELECT secrets_sealed FROM slack_integrations WHERE workspace_id = @workspaceId", new { workspaceId });
        return sealedText is null ? null : Open(workspaceId, sealedText);
    }

    /// <summary>Every workspace whose app is in the Slack team, with its secrets: an interaction is theirs if one's signing secret verifies it.</summary>
    public async Task<IReadOnlyList<(string WorkspaceId, SlackSecrets Secrets)>> ByTeamAsync(string teamId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<(string WorkspaceId, string Sealed)>(
            "SELECT workspace_id, secrets_sealed FROM slack_integrations WHERE team_id = @teamId ORDER BY workspace_id", new { teamId });
        return rows.Select(r => (r.WorkspaceId, Open(r.WorkspaceId, r.Sealed))).ToList();
    }

    private SlackSecrets Open(string workspaceId, string sealedText)
    {
        var secrets = vault.Open(AssociatedId(workspaceId), SealedSecret.Parse(sealedText));
        return new(secrets["botToken"], secrets["signingSecret"]);
    }

    // Bound into both encryption layers, so sealed secrets copied to another workspace's row do not open.
    private static string AssociatedId(string workspaceId) => $"slack-approvals:{workspaceId}";

    private static string Hint(string token) => token.Length <= 12 ? "…" : $"{token[..5]}…{token[^4..]}";
}
