using System.Data.Common;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Credential rows: sealed on the way in, opened only to execute or verify.</summary>
public sealed class CredentialStore(Database database, CredentialVault vault, AuditTrail audit, Subscriptions.EventOutbox events, TimeProvider time)
{
    public async Task<CredentialRow> CreateAsync(string workspaceId, Actor actor, string provider, string name, string authType,
        IReadOnlyDictionary<string, string> secrets, CancellationToken ct)
    {
        var id = Ids.New("cred", time);
        var sealedSecret = vault.Seal(id, secrets);
        var now = time.Now();
        var row = new CredentialRow
        {
            Id = id, WorkspaceId = workspaceId, Provider = provider, Name = name, AuthType = authType, Hint = HintFor(provider, secrets),
            Status = CredentialStatus.Connected, MasterKeyVersion = sealedSecret.MasterKeyVersion, WrappedKey = sealedSecret.WrappedDataKey,
            Ciphertext = sealedSecret.Ciphertext, CreatedAt = now, UpdatedAt = now,
        };
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO credentials (id, workspace_id, provider, name, auth_type, hint, status, master_key_version, wrapped_key, ciphertext, created_at, updated_at)
                VALUES (@Id, @WorkspaceId, @Provider, @Name, @AuthType, @Hint, @Status, @MasterKeyVersion, @WrappedKey, @Ciphertext, @CreatedAt, @UpdatedAt)
                """, row, t);
            await audit.AppendAsync(c, t, workspaceId, actor, "credential.created", "credential", id, new { provider, name, authType, hint = row.Hint });
        }, ct);
        return row;
    }

    public static Task<CredentialRow?> FindAsync(DbConnection c, string workspaceId, string id, DbTransaction? t = null) =>
        c.QueryFirstOrDefaultAsync<CredentialRow>(
            $"SELECT {CredentialRow.Columns} FROM credentials WHERE id = @id AND workspace_id = @workspaceId AND deleted_at IS NULL",
            new { id, workspaceId }, t);

    public async Task<IReadOnlyList<CredentialRow>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<CredentialRow>(
            $"SELECT {CredentialRow.Columns} FROM credentials WHERE workspace_id = @workspaceId AND deleted_at IS NULL ORDER BY provider, name, id",
            new { workspaceId })).ToList();
    }

    public static async Task<ILookup<string, string>> LinksAsync(DbConnection c, string workspaceId) =>
        (await c.QueryAsync<(string CredentialId, string AgentId)>(
            "SELECT credential_id, agent_id FROM credential_links WHERE workspace_id = @workspaceId ORDER BY created_at", new { workspaceId }))
        .ToLookup(l => l.CredentialId, l => l.AgentId);

    /// <summary>Whether an agent of this workspace exists to link a credential to.</summary>
    public static async Task<bool> AgentExistsAsync(DbConnection c, DbTransaction t, string workspaceId, string agentId) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE id = @agentId AND workspace_id = @workspaceId", new { agentId, workspaceId }, t) > 0;

    /// <summary>Links a credential to an agent of its workspace; false when the link exists already or there is no such agent.</summary>
    public static async Task<bool> LinkAsync(DbConnection c, DbTransaction t, string workspaceId, string id, string agentId, long now) =>
        await c.ExecuteAsync(
            """
            INSERT INTO credential_links (credential_id, agent_id, workspace_id, created_at)
            SELECT @id, id, workspace_id, @now FROM agents WHERE id = @agentId AND workspace_id = @workspaceId
            ON CONFLICT (credential_id, agent_id) DO NOTHING
            """, new { id, agentId, workspaceId, now }, t) > 0;

    /// <summary>Removes a link; false when there was none.</summary>
    public static async Task<bool> UnlinkAsync(DbConnection c, DbTransaction t, string workspaceId, string id, string agentId) =>
        await c.ExecuteAsync("DELETE FROM credential_links WHERE credential_id = @id AND agent_id = @agentId AND workspace_id = @workspaceId",
            new { id, agentId, workspaceId }, t) > 0;

    public static Task<long> LinkCountAsync(DbConnection c, DbTransaction t, string id) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM credential_links WHERE credential_id = @id", new { id }, t);

    public static Task RecordVerificationAsync(DbConnection c, DbTransaction t, string id, long now, bool ok, string message) =>
        c.ExecuteAsync("UPDATE credentials SET verified_at = @now, verify_ok = @ok, verify_message = @message WHERE id = @id",
            new { now, ok, message, id }, t);

    /// <summary>Marks a credential deleted and destroys its sealed secret, not only hides it: it can never be opened again.</summary>
    public static Task DestroyAsync(DbConnection c, DbTransaction t, string id, long now) =>
        c.ExecuteAsync("UPDATE credentials SET deleted_at = @now, wrapped_key = @empty, ciphertext = @empty WHERE id = @id",
            new { now, empty = Array.Empty<byte>(), id }, t);

    public async Task<string?> WorkspaceOfAsync(string credentialId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string>("SELECT workspace_id FROM credentials WHERE id = @credentialId", new { credentialId });
    }

    /// <summary>Records an OAuth authorisation in flight until the provider's callback takes it.</summary>
    public Task SaveOAuthStateAsync(OAuthState pending, CancellationToken ct) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO oauth_states (state, workspace_id, provider, name, agent_id, created_by, redirect_uri, code_verifier, created_at, expires_at, binding_hash)
            VALUES (@State, @WorkspaceId, @Provider, @Name, @AgentId, @CreatedBy, @RedirectUri, @CodeVerifier, @CreatedAt, @ExpiresAt, @BindingHash)
            """, pending, t), ct);

    /// <summary>Takes (deletes) the state a callback presents, so it works once; expired states go with it.</summary>
    public Task<OAuthState?> TakeOAuthStateAsync(string state, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var row = await c.QueryFirstOrDefaultAsync<OAuthState>(
                """
                SELECT state AS State, workspace_id AS WorkspaceId, provider AS Provider, name AS Name, agent_id AS AgentId, created_by AS CreatedBy,
                       redirect_uri AS RedirectUri, code_verifier AS CodeVerifier, created_at AS CreatedAt, expires_at AS ExpiresAt,
                       binding_hash AS BindingHash
                FROM oauth_states WHERE state = @state
                """, new { state }, t);
            await c.ExecuteAsync("DELETE FROM oauth_states WHERE state = @state OR expires_at < @now", new { state, now = time.Now() }, t);
            return row;
        }, ct);

    public CredentialSecrets Open(CredentialRow row) => new(row.Id, row.Provider, vault.Open(row.Id, row.Sealed));

    /// <summary>Replaces the sealed secrets (OAuth refresh) and sets the status.</summary>
    public Task UpdateSecretsAsync(string workspaceId, string id, IReadOnlyDictionary<string, string> secrets, string status, CancellationToken ct)
    {
        var sealedSecret = vault.Seal(id, secrets);
        return database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE credentials SET master_key_version = @v, wrapped_key = @w, ciphertext = @x, status = @status, updated_at = @now, refresh_failures = 0 WHERE id = @id AND workspace_id = @workspaceId",
            new { v = sealedSecret.MasterKeyVersion, w = sealedSecret.WrappedDataKey, x = sealedSecret.Ciphertext, status, now = time.Now(), id, workspaceId }, t), ct);
    }

    public Task SetStatusAsync(string workspaceId, string id, string status, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var changed = await c.ExecuteAsync(
                "UPDATE credentials SET status = @status, updated_at = @now WHERE id = @id AND workspace_id = @workspaceId AND status <> @status",
                new { status, now = time.Now(), id, workspaceId }, t);
            if (changed > 0)
            {
                await audit.AppendAsync(c, t, workspaceId, Actor.System, "credential.status_changed", "credential", id, new { status });
                if (status == CredentialStatus.NeedsReconnect)
                {
                    await events.CredentialAsync(c, t, workspaceId, id, Subscriptions.EventTypes.CredentialNeedsReconnect);
                }
            }
        }, ct);

    /// <summary>
    /// Counts one more passing refresh failure in a row and returns the count; the <paramref name="alertAfter"/>-th
    /// raises a workspace alert (once per streak: a successful refresh resets the count).
    /// </summary>
    public Task<int> RecordRefreshFailureAsync(string workspaceId, string id, string provider, int alertAfter, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var failures = await c.ExecuteScalarAsync<int>(
                "UPDATE credentials SET refresh_failures = refresh_failures + 1 WHERE id = @id AND workspace_id = @workspaceId RETURNING refresh_failures",
                new { id, workspaceId }, t);
            if (failures == alertAfter)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO alerts (id, workspace_id, kind, action_type, reason, policies, created_at)
                    VALUES (@alertId, @workspaceId, @kind, 'credential.refresh', @reason, '[]', @now)
                    """,
                    new
                    {
                        alertId = Ids.New("alr", time), workspaceId, kind = RefreshFailingAlert, now = time.Now(),
                        reason = $"refreshing the {provider} credential `{id}` failed {failures} times in a row (not a refusal: it stays connected); check the provider's status",
                    }, t);
            }

            return failures;
        }, ct);

    /// <summary>The <c>kind</c> of the workspace alert raised by <see cref="RecordRefreshFailureAsync"/>.</summary>
    public const string RefreshFailingAlert = "credential_refresh_failing";

    /// <summary>Re-wraps every credential's data key under the current master key; returns how many rows changed.</summary>
    public async Task<int> RewrapAllAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = (await c.QueryAsync<CredentialRow>($"SELECT {CredentialRow.Columns} FROM credentials")).ToList();
        var changed = 0;
        foreach (var row in rows.Where(r => r.MasterKeyVersion != vault.CurrentVersion))
        {
            var rewrapped = vault.Rewrap(row.Id, row.Sealed);
            changed += await database.WriteAsync((w, t) => w.ExecuteAsync(
                "UPDATE credentials SET master_key_version = @v, wrapped_key = @k WHERE id = @id AND master_key_version = @old",
                new { v = rewrapped.MasterKeyVersion, k = rewrapped.WrappedDataKey, id = row.Id, old = row.MasterKeyVersion }, t), ct);
        }

        return changed;
    }

    public static string HintFor(string provider, IReadOnlyDictionary<string, string> secrets)
    {
        var field = ProviderFields.ByProvider[provider].HintField;
        if (!secrets.TryGetValue(field, out var value))
        {
            return "••••";
        }

        // A URL that is not secret (a webhook's base URL, an MQTT broker's) is the hint; its host is the useful part.
        var isUrl = ConnectorCatalog.Find(provider)?.CredentialFields.Any(f => f.Name == field && (f.Url || !f.Secret)) == true;
        return isUrl && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri.Host : SecretMask.Hint(value);
    }
}
