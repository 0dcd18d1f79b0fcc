using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>Save a new version of a policy: <see cref="Changes"/> members left null keep their value.</summary>
public sealed record UpdatePolicyCommand(Member Actor, string PolicyId, PolicyInput Changes);

/// <summary>Updating a policy: the one use case behind <c>PUT /api/policies/{id}</c>, the dashboard's policy editor and its enable/disable toggle.</summary>
public sealed class UpdatePolicy(Database database, AuditTrail audit, Subscriptions.EventOutbox events, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<SavePolicyResult> ExecuteAsync(UpdatePolicyCommand command, FieldErrors? unread, CancellationToken ct)
    {
        if (SavePolicyResult.Check(command.Changes, unread, create: false, out var input) is { } refused)
        {
            return refused;
        }

        var (workspaceId, userId, id) = (command.Actor.WorkspaceId, command.Actor.UserId, command.PolicyId);
        PolicyRow? saved = null;
        var failure = await database.WriteAsync<SavePolicyResult?>(async (c, t) =>
        {
            var current = await PolicyStore.FindAsync(c, workspaceId, id, t);
            if (current is null)
            {
                return new SavePolicyResult.NotFound(id);
            }

            var merged = input.Over(current);
            if (await PolicyStore.UnknownAgentsAsync(c, t, workspaceId, merged.AgentIds!) is { Count: > 0 } unknown)
            {
                return SavePolicyResult.UnknownAgents(unknown);
            }

            saved = merged.ToRow(id, current.Version + 1, current.CreatedAt, time.Now());
            await PolicyStore.SaveAsync(c, t, workspaceId, saved, "updated", userId, insert: false);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "policy.updated", "policy", id,
                new { saved.Name, saved.Condition, saved.Decision, saved.Enabled, saved.Version });
            await events.PolicyChangedAsync(c, t, workspaceId, id, "updated", saved.ToDto());
            return null;
        }, result => result is null, ct);

        return failure ?? new SavePolicyResult.Saved(saved!.ToDto());
    }
}
