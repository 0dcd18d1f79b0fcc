using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// Deleting a workflow: it disappears from lists and cannot be started (its schedule is disarmed, its webhook URL stops
/// answering); its versions and past runs are kept, since runs and their audit entries refer to them. Runs in flight finish.
/// </summary>
public sealed class DeleteWorkflow(Database database, AuditTrail audit, TimeProvider time)
{
    public async Task<bool> ExecuteAsync(Member actor, string id, CancellationToken ct) =>
        await database.WriteAsync(async (c, t) =>
        {
            var deleted = await c.ExecuteAsync(
                "UPDATE workflows SET deleted_at = @now, webhook_token_hash = NULL WHERE id = @id AND workspace_id = @WorkspaceId AND deleted_at IS NULL",
                new { id, actor.WorkspaceId, now = time.Now() }, t);
            if (deleted == 0)
            {
                return false;
            }

            await WorkflowSchedules.Disarm(c, t, id);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "workflow.deleted", "workflow", id, new { });
            return true;
        }, ok => ok, ct);
}
