using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Agents;

/// <summary>Agents and their API keys: <c>/api/agents…</c>.</summary>
public static class AgentsApi
{
    public sealed record CreateAgentRequest(string Name, string? Description, string? OwnerUserId);

    public sealed record CreateKeyRequest(string? Name);

    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder group)
    {
        group.MapPost("/agents", Create).RequireAuthorization(RolePolicies.Admin).Accepts<CreateAgentRequest>("application/json");
        group.MapGet("/agents", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/agents/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/agents/{id}/keys", CreateKey).RequireAuthorization(RolePolicies.Admin).Accepts<CreateKeyRequest>("application/json");
        group.MapGet("/agents/{id}/keys", ListKeys).RequireAuthorization(RolePolicies.Viewer);
        group.MapDelete("/agents/{id}/keys/{keyId}", RevokeKey).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Results<Created<AgentDto>, ProblemHttpResult>> Create(
        HttpContext http, CreateAgent createAgent, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Created<AgentDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var fields = new JsonFields(body, new FieldErrors());
            var command = new CreateAgentCommand(http.User.GetMember(), fields.Text("name"), fields.Text("description"), fields.Text("ownerUserId"));
            return await createAgent.ExecuteAsync(command, fields.Errors, http.RequestAborted) switch
            {
                CreateAgentResult.Created created => TypedResults.Created($"/api/agents/{created.Agent.Id}", created.Agent),
                CreateAgentResult.Invalid invalid => Problems.Validation(invalid.Errors),
                CreateAgentResult.Conflict conflict => Problems.Conflict(conflict.Detail),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    public static async Task<Ok<IReadOnlyList<AgentDto>>> List(HttpContext http, AgentQueries agents) =>
        TypedResults.Ok(await agents.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> Get(HttpContext http, AgentQueries agents, string id) =>
        await agents.GetAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } agent
            ? TypedResults.Ok(agent)
            : Problems.NotFound($"agent `{id}`");

    /// <summary>Issuing an agent key (optional body with <c>name</c>); the answer is the only time the key is shown.</summary>
    public static async Task<Results<Created<CreatedAgentKeyDto>, ProblemHttpResult>> CreateKey(
        HttpContext http, CreateAgentKey createKey, IOptions<LimitsOptions> limits, string id)
    {
        var errors = new FieldErrors();
        string? name = null;
        if (http.Request.ContentLength is > 0)
        {
            var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            using var doc = read.Document!;
            name = new JsonFields(doc.RootElement, errors).Text("name");
        }

        return await createKey.ExecuteAsync(new CreateAgentKeyCommand(http.User.GetMember(), id, name), errors, http.RequestAborted) switch
        {
            CreateAgentKeyResult.Created created => TypedResults.Created($"/api/agents/{id}/keys/{created.Key.Id}", created.Key),
            CreateAgentKeyResult.Invalid invalid => Problems.Validation(invalid.Errors),
            CreateAgentKeyResult.AgentNotFound missing => Problems.NotFound($"agent `{missing.AgentId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<AgentKeyDto>>, ProblemHttpResult>> ListKeys(HttpContext http, AgentQueries agents, string id) =>
        await agents.ListKeysAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } keys
            ? TypedResults.Ok(keys)
            : Problems.NotFound($"agent `{id}`");

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(HttpContext http, RevokeAgentKey revokeKey, string id, string keyId) =>
        await revokeKey.ExecuteAsync(new RevokeAgentKeyCommand(http.User.GetMember(), id, keyId), http.RequestAborted) switch
        {
            RevokeAgentKeyResult.Revoked => TypedResults.NoContent(),
            RevokeAgentKeyResult.KeyNotFound missing => Problems.NotFound($"key `{missing.KeyId}` of agent `{missing.AgentId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    internal static Task<AgentRow?> FindAsync(System.Data.Common.DbConnection connection, string workspaceId, string id,
        System.Data.Common.DbTransaction? transaction = null) =>
        connection.QueryFirstOrDefaultAsync<AgentRow>(
            $"SELECT {AgentRow.Columns} FROM agents WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, transaction);
}
