using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Agents;

/// <summary>Issue an API key for one of the actor's workspace's agents; an unnamed key is called <c>default</c>.</summary>
public sealed record CreateAgentKeyCommand(Member Actor, string AgentId, string? Name);

public abstract record CreateAgentKeyResult
{
    private CreateAgentKeyResult()
    {
    }

    /// <summary>The only time the key itself is ever shown.</summary>
    public sealed record Created(CreatedAgentKeyDto Key) : CreateAgentKeyResult;

    public sealed record Invalid(FieldErrors Errors) : CreateAgentKeyResult;

    public sealed record AgentNotFound(string AgentId) : CreateAgentKeyResult;
}

/// <summary>Issuing an agent key: the one use case behind <c>POST /api/agents/{id}/keys</c> and the dashboard's Generate API key form.</summary>
public sealed class CreateAgentKey(Database database, AgentKeyIssuer issuer, AuditTrail audit)
{
    public async Task<CreateAgentKeyResult> ExecuteAsync(CreateAgentKeyCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var name = errors.Text("name", command.Name, maxLength: 100);
        if (errors.Any)
        {
            return new CreateAgentKeyResult.Invalid(errors);
        }

        var (workspaceId, agentId) = (command.Actor.WorkspaceId, command.AgentId);
        var created = await database.WriteAsync<CreatedAgentKeyDto?>(async (c, t) =>
        {
            if (await AgentsApi.FindAsync(c, workspaceId, agentId, t) is null)
            {
                return null;
            }

            var key = await issuer.IssueAsync(c, t, workspaceId, agentId, name ?? "default");
            await audit.AppendAsync(c, t, workspaceId, Actor.User(command.Actor.UserId), "agent_key.created", "agent_key", key.Id,
                new { agentId, prefix = key.Prefix });
            return key;
        }, ct);

        return created is null ? new CreateAgentKeyResult.AgentNotFound(agentId) : new CreateAgentKeyResult.Created(created);
    }
}
