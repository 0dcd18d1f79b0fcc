using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Create a workspace whose owner is the actor (a signed-in member of any workspace).</summary>
public sealed record CreateWorkspaceCommand(Member Actor, string? Name);

public abstract record CreateWorkspaceResult
{
    private CreateWorkspaceResult()
    {
    }

    public sealed record Created(WorkspaceSummaryDto Workspace) : CreateWorkspaceResult;

    public sealed record Invalid(FieldErrors Errors) : CreateWorkspaceResult;
}

/// <summary>
/// Creating a workspace: the one use case behind <c>POST /api/workspaces</c> and the dashboard's New workspace form.
/// The workspace starts empty but usable: default settings (demo connectors, default decision allow), no agents,
/// policies or credentials, and the creator as its only member, with the owner role.
/// </summary>
public sealed class CreateWorkspace(Database database, AuditTrail audit, TimeProvider time)
{
    public async Task<CreateWorkspaceResult> ExecuteAsync(CreateWorkspaceCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var name = errors.Text("name", command.Name, required: true, maxLength: 100)?.Trim();
        if (name is { Length: 0 })
        {
            errors.Add("name", "is required");
        }

        if (errors.Any)
        {
            return new CreateWorkspaceResult.Invalid(errors);
        }

        var actor = command.Actor;
        var workspaceId = Ids.New("ws", time);
        var now = time.Now();
        await database.WriteAsync(async (c, t) =>
        {
            await WorkspaceStore.InsertAsync(c, t, workspaceId, name!, now);
            await c.ExecuteAsync("INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (@workspaceId, @userId, 'owner', @now)",
                new { workspaceId, userId = actor.UserId, now }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(actor.UserId), "workspace.created", "workspace", workspaceId,
                new { name, owner = actor.Email, from = actor.WorkspaceId });
            return workspaceId;
        }, ct);

        return new CreateWorkspaceResult.Created(new WorkspaceSummaryDto(workspaceId, name!, Role.Owner.ToWire(), Times.ToIso(now), Current: false));
    }
}
