using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>Delete one of the actor's workspace's policies. Deleting it again is not found.</summary>
public sealed record DeletePolicyCommand(Member Actor, string PolicyId);

public abstract record DeletePolicyResult
{
    private DeletePolicyResult()
    {
    }

    public sealed record Deleted : DeletePolicyResult;

    public sealed record NotFound(string PolicyId) : DeletePolicyResult;
}

/// <summary>Deleting a policy: the one use case behind <c>DELETE /api/policies/{id}</c> and the policy editor's Delete button.</summary>
public sealed class DeletePolicy(Database database, AuditTrail audit, Subscriptions.EventOutbox events, TimeProvider time)
{
    public async Task<DeletePolicyResult> ExecuteAsync(DeletePolicyCommand command, CancellationToken ct)
    {
        var (ws, id) = (command.Actor.WorkspaceId, command.PolicyId);
        var deleted = await database.WriteAsync(async (c, t) =>
        {
            // Soft delete: recorded requests keep naming the policy that decided them.
            var changed = await c.ExecuteAsync(
                "UPDATE policies SET deleted_at = @now WHERE id = @id AND workspace_id = @ws AND deleted_at IS NULL",
                new { now = time.Now(), id, ws }, t);
            if (changed > 0)
            {
                await PolicyStore.BumpRevisionAsync(c, t, ws);
                await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "policy.deleted", "policy", id);
                await events.PolicyChangedAsync(c, t, ws, id, "deleted", null);
            }

            return changed > 0;
        }, ct);
        return deleted ? new DeletePolicyResult.Deleted() : new DeletePolicyResult.NotFound(id);
    }
}
