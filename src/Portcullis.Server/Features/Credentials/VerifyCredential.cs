using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Ask the provider whether one of the actor's workspace's credentials works, and record the answer.</summary>
public sealed record VerifyCredentialCommand(Member Actor, string CredentialId);

public abstract record VerifyCredentialResult
{
    private VerifyCredentialResult()
    {
    }

    /// <summary>
    /// The provider answered (or refused): a failed check is still a verification, recorded as such. <c>VerifiedAt</c> in Unix ms.
    /// <c>Simulated</c>: the workspace is in demo mode, nothing was sent and nothing recorded.
    /// </summary>
    public sealed record Verified(bool Ok, string Message, int? ProviderStatus, long VerifiedAt, bool Simulated = false) : VerifyCredentialResult;

    public sealed record CredentialNotFound(string CredentialId) : VerifyCredentialResult;
}

/// <summary>Verifying a credential: the one use case behind <c>POST /api/credentials/{id}/verify</c> and the dashboard's Verify buttons.</summary>
public sealed class VerifyCredential(Database database, CredentialStore store, ConnectorRunner runner, AuditTrail audit, TimeProvider time)
{
    public async Task<VerifyCredentialResult> ExecuteAsync(VerifyCredentialCommand command, CancellationToken ct)
    {
        var (ws, id) = (command.Actor.WorkspaceId, command.CredentialId);
        CredentialRow? row;
        string? mode;
        await using (var c = await database.OpenAsync(ct))
        {
            row = await CredentialStore.FindAsync(c, ws, id);
            mode = await c.QueryFirstOrDefaultAsync<string>("SELECT connector_mode FROM workspaces WHERE id = @ws", new { ws });
        }

        if (row is null)
        {
            return new VerifyCredentialResult.CredentialNotFound(id);
        }

        // Demo mode never reaches a provider, Verify Connection included; the stored verification stays as it was.
        if (mode == Actions.ActionDispatcher.DemoMode)
        {
            var simulated = ConnectorRunner.VerifyDemo(store.Open(row));
            return new VerifyCredentialResult.Verified(simulated.Ok, simulated.Message, null, time.Now(), Simulated: true);
        }

        // The provider call runs outside the write transaction: it may take seconds.
        var result = await runner.VerifyAsync(store.Open(row), ct);
        var now = time.Now();
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "UPDATE credentials SET verified_at = @now, verify_ok = @ok, verify_message = @message WHERE id = @id",
                new { now, ok = result.Ok, message = result.Message, id }, t);
            await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "credential.verified", "credential", id,
                new { result.Ok, result.ProviderStatus });
        }, ct);
        return new VerifyCredentialResult.Verified(result.Ok, result.Message, result.ProviderStatus, now);
    }
}
