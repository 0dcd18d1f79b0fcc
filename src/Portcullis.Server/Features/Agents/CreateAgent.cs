using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Agents;

/// <summary>Create an agent in the actor's workspace; the owner defaults to the actor.</summary>
public sealed record CreateAgentCommand(Member Actor, string? Name, string? Description, string? OwnerUserId = null);

public abstract record CreateAgentResult
{
    private CreateAgentResult()
    {
    }

    public sealed record Created(AgentDto Agent) : CreateAgentResult;

    public sealed record Invalid(FieldErrors Errors) : CreateAgentResult;

    /// <summary>The workspace already has an agent of that name.</summary>
    public sealed record Conflict(string Detail) : CreateAgentResult;
}

/// <summary>Creating an agent: the one use case behind <c>POST /api/agents</c> and the dashboard's New agent form.</summary>
public sealed class CreateAgent(Database database, AuditTrail audit, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<CreateAgentResult> ExecuteAsync(CreateAgentCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var name = errors.Text("name", command.Name, required: true, maxLength: 100);
        var description = errors.Text("description", command.Description, maxLength: 1000);
        var ownerUserId = errors.Text("ownerUserId", command.OwnerUserId, maxLength: 64) ?? command.Actor.UserId;
        if (errors.Any)
        {
            return new CreateAgentResult.Invalid(errors);
        }

        var workspaceId = command.Actor.WorkspaceId;
        var row = new AgentRow { Id = Ids.New("agt", time), Name = name!, Description = description, OwnerUserId = ownerUserId, CreatedAt = time.Now() };
        var refused = await database.WriteAsync<CreateAgentResult?>(async (c, t) =>
        {
            var owner = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM members WHERE workspace_id = @workspaceId AND user_id = @ownerUserId", new { workspaceId, ownerUserId }, t);
            if (owner == 0)
            {
                return new CreateAgentResult.Invalid(new FieldErrors().Add("ownerUserId", "must be a member of this workspace"));
            }

            var taken = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM agents WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name }, t);
            if (taken > 0)
            {
                return new CreateAgentResult.Conflict($"an agent named `{name}` already exists");
            }

            await c.ExecuteAsync(
                "INSERT INTO agents (id, workspace_id, name, description, owner_user_id, created_at) VALUES (@Id, @workspaceId, @Name, @Description, @OwnerUserId, @CreatedAt)",
                new { row.Id, workspaceId, row.Name, row.Description, row.OwnerUserId, row.CreatedAt }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(command.Actor.UserId), "agent.created", "agent", row.Id, new { row.Name });
            return null;
        }, result => result is null, ct);

        return refused ?? new CreateAgentResult.Created(row.ToDto());
    }
}
