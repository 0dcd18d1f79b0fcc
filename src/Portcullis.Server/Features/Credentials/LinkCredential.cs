using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Let an agent of the actor's workspace use one of its credentials. Linking twice is harmless.</summary>
public sealed record LinkCredentialCommand(Member Actor, string CredentialId, string? AgentId);

public abstract record LinkCredentialResult
{
    private LinkCredentialResult()
    {
    }

    public sealed record Linked : LinkCredentialResult;

    public sealed record Invalid(FieldErrors Errors) : LinkCredentialResult;

    public sealed record CredentialNotFound(string CredentialId) : LinkCredentialResult;

    public sealed record AgentNotFound(string AgentId) : LinkCredentialResult;
}

/// <summary>Linking a credential to an agent: the one use case behind <c>POST /api/credentials/{id}/links</c> and the dashboard's Link and Connect forms.</summary>
public sealed class LinkCredential(Database database, AuditTrail audit, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<LinkCredentialResult> ExecuteAsync(LinkCredentialCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var agentId = errors.Text("agentId", command.AgentId, required: true, maxLength: 64);
        if (errors.Any)
        {
            return new LinkCredentialResult.Invalid(errors);
        }

        var (ws, id) = (command.Actor.WorkspaceId, command.CredentialId);
        return await database.WriteAsync<LinkCredentialResult>(async (c, t) =>
        {
            if (await CredentialStore.FindAsync(c, ws, id, t) is null)
            {
                return new LinkCredentialResult.CredentialNotFound(id);
            }

            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE id = @agentId AND workspace_id = @ws", new { agentId, ws }, t) == 0)
            {
                return new LinkCredentialResult.AgentNotFound(agentId!);
            }

            var linked = await c.ExecuteAsync(
                "INSERT INTO credential_links (credential_id, agent_id, workspace_id, created_at) VALUES (@id, @agentId, @ws, @now) ON CONFLICT (credential_id, agent_id) DO NOTHING",
                new { id, agentId, ws, now = time.Now() }, t);
            if (linked > 0)
            {
                await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "credential.linked", "credential", id, new { agentId });
            }

            return new LinkCredentialResult.Linked();
        }, ct);
    }
}
