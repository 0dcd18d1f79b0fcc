using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>Create a policy in the actor's workspace; name, condition and decision are required.</summary>
public sealed record CreatePolicyCommand(Member Actor, PolicyInput Policy);

/// <summary>Creating a policy (version 1): the one use case behind <c>POST /api/policies</c> and the dashboard's New policy form.</summary>
public sealed class CreatePolicy(Database database, AuditTrail audit, Subscriptions.EventOutbox events, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<SavePolicyResult> ExecuteAsync(CreatePolicyCommand command, FieldErrors? unread, CancellationToken ct)
    {
        if (SavePolicyResult.Check(command.Policy, unread, create: true, out var input) is { } refused)
        {
            return refused;
        }

        var (workspaceId, userId) = (command.Actor.WorkspaceId, command.Actor.UserId);
        var now = time.Now();
        var row = input.ToRow(Ids.New("pol", time), 1, now, now);
        var failure = await database.WriteAsync<SavePolicyResult?>(async (c, t) =>
        {
            if (await PolicyStore.UnknownAgentsAsync(c, t, workspaceId, row.AgentIdList) is { Count: > 0 } unknown)
            {
                return SavePolicyResult.UnknownAgents(unknown);
            }

            await PolicyStore.SaveAsync(c, t, workspaceId, row, "created", userId, insert: true);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "policy.created", "policy", row.Id,
                new { row.Name, row.Condition, row.Decision, row.Version });
            await events.PolicyChangedAsync(c, t, workspaceId, row.Id, "created", row.ToDto());
            return null;
        }, result => result is null, ct);

        return failure ?? new SavePolicyResult.Saved(row.ToDto());
    }
}
