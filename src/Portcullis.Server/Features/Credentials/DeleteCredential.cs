using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Delete one of the actor's workspace's credentials; a credential still linked to an agent is refused.</summary>
public sealed record DeleteCredentialCommand(Member Actor, string CredentialId);

public abstract record DeleteCredentialResult
{
    private DeleteCredentialResult()
    {
    }

    public sealed record Deleted : DeleteCredentialResult;

    public sealed record CredentialNotFound(string CredentialId) : DeleteCredentialResult;

    /// <summary>Agents still use it: they must be disconnected first.</summary>
    public sealed record StillLinked(string CredentialId, long Links) : DeleteCredentialResult;
}

/// <summary>Deleting a credential: the one use case behind <c>DELETE /api/credentials/{id}</c> and the Connectors page's Delete button.</summary>
public sealed class DeleteCredential(Database database, AuditTrail audit, TimeProvider time)
{
    public async Task<DeleteCredentialResult> ExecuteAsync(DeleteCredentialCommand command, CancellationToken ct)
    {
        var (ws, id) = (command.Actor.WorkspaceId, command.CredentialId);
        return await database.WriteAsync<DeleteCredentialResult>(async (c, t) =>
        {
            if (await CredentialStore.FindAsync(c, ws, id, t) is null)
            {
                return new DeleteCredentialResult.CredentialNotFound(id);
            }

            var links = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM credential_links WHERE credential_id = @id", new { id }, t);
            if (links > 0)
            {
                return new DeleteCredentialResult.StillLinked(id, links);
            }

            // The sealed secret is destroyed, not only hidden: a deleted credential can never be opened again.
            await c.ExecuteAsync(
                "UPDATE credentials SET deleted_at = @now, wrapped_key = @empty, ciphertext = @empty WHERE id = @id",
                new { now = time.Now(), empty = Array.Empty<byte>(), id }, t);
            await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "credential.deleted", "credential", id);
            return new DeleteCredentialResult.Deleted();
        }, ct);
    }

    /// <summary>The refusal's wording, shared by the API's <c>credential_linked</c> problem and the dashboard.</summary>
    public static string StillLinkedDetail(DeleteCredentialResult.StillLinked linked) =>
        $"credential `{linked.CredentialId}` is linked to {linked.Links} agent(s); disconnect it from them first";
}
