using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
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
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => CreateAsync(http.User.GetMember(), body, database, audit, time, http.RequestAborted));
    }

    /// <summary>Creating an agent from a parsed body: the one path behind the API and the dashboard.</summary>
    public static async Task<Results<Created<AgentDto>, ProblemHttpResult>> CreateAsync(
        Member member, JsonElement body, Database database, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var fields = new JsonFields(body, new FieldErrors());
        var name = fields.String("name", required: true, maxLength: 100);
        var description = fields.String("description", maxLength: 1000);
        var ownerUserId = fields.String("ownerUserId", maxLength: 64) ?? member.UserId;
        if (fields.Errors.Any)
        {
            return Problems.Validation(fields.Errors);
        }

        var row = new AgentRow { Id = Ids.New("agt", time), Name = name!, Description = description, OwnerUserId = ownerUserId, CreatedAt = time.Now() };
        var outcome = await database.WriteAsync<ProblemHttpResult?>(async (c, t) =>
        {
            var owner = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM members WHERE workspace_id = @ws AND user_id = @ownerUserId", new { ws = member.WorkspaceId, ownerUserId }, t);
            if (owner == 0)
            {
                return Problems.Validation("ownerUserId", "must be a member of this workspace");
            }

            var taken = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM agents WHERE workspace_id = @ws AND name = @name", new { ws = member.WorkspaceId, name }, t);
            if (taken > 0)
            {
                return Problems.Conflict($"an agent named `{name}` already exists");
            }

            await c.ExecuteAsync(
                "INSERT INTO agents (id, workspace_id, name, description, owner_user_id, created_at) VALUES (@Id, @ws, @Name, @Description, @OwnerUserId, @CreatedAt)",
                new { row.Id, ws = member.WorkspaceId, row.Name, row.Description, row.OwnerUserId, row.CreatedAt }, t);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "agent.created", "agent", row.Id, new { row.Name });
            return null;
        }, result => result is null, ct);

        return outcome is null ? TypedResults.Created($"/api/agents/{row.Id}", row.ToDto()) : outcome;
    }

    public static async Task<Ok<IReadOnlyList<AgentDto>>> List(HttpContext http, Database database)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<AgentRow>(
            $"SELECT {AgentRow.Columns} FROM agents WHERE workspace_id = @ws ORDER BY name", new { ws = member.WorkspaceId });
        return TypedResults.Ok<IReadOnlyList<AgentDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> Get(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var row = await FindAsync(connection, member.WorkspaceId, id);
        return row is null ? Problems.NotFound($"agent `{id}`") : TypedResults.Ok(row.ToDto());
    }

    public static async Task<Results<Created<CreatedAgentKeyDto>, ProblemHttpResult>> CreateKey(
        HttpContext http, Database database, AgentKeyIssuer issuer, AuditTrail audit, IOptions<LimitsOptions> limits, string id)
    {
        if (http.Request.ContentLength is > 0)
        {
            var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            using var doc = read.Document!;
            return await CreateKeyAsync(http.User.GetMember(), id, doc.RootElement, database, issuer, audit, http.RequestAborted);
        }

        return await CreateKeyAsync(http.User.GetMember(), id, null, database, issuer, audit, http.RequestAborted);
    }

    /// <summary>Issuing an agent key (optional body with <c>name</c>); the answer is the only time the key is shown.</summary>
    public static async Task<Results<Created<CreatedAgentKeyDto>, ProblemHttpResult>> CreateKeyAsync(
        Member member, string id, JsonElement? body, Database database, AgentKeyIssuer issuer, AuditTrail audit, CancellationToken ct)
    {
        string? name = null;
        if (body is { } element)
        {
            var fields = new JsonFields(element, new FieldErrors());
            name = fields.String("name", maxLength: 100);
            if (fields.Errors.Any)
            {
                return Problems.Validation(fields.Errors);
            }
        }

        var created = await database.WriteAsync<CreatedAgentKeyDto?>(async (c, t) =>
        {
            if (await FindAsync(c, member.WorkspaceId, id, t) is null)
            {
                return null;
            }

            var key = await issuer.IssueAsync(c, t, member.WorkspaceId, id, name ?? "default");
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "agent_key.created", "agent_key", key.Id,
                new { agentId = id, prefix = key.Prefix });
            return key;
        }, ct);

        return created is null ? Problems.NotFound($"agent `{id}`") : TypedResults.Created($"/api/agents/{id}/keys/{created.Id}", created);
    }

    public static async Task<Results<Ok<IReadOnlyList<AgentKeyDto>>, ProblemHttpResult>> ListKeys(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        if (await FindAsync(connection, member.WorkspaceId, id) is null)
        {
            return Problems.NotFound($"agent `{id}`");
        }

        var rows = await connection.QueryAsync<AgentKeyRow>(
            $"SELECT {AgentKeyRow.Columns} FROM agent_keys WHERE workspace_id = @ws AND agent_id = @id ORDER BY created_at, id",
            new { ws = member.WorkspaceId, id });
        return TypedResults.Ok<IReadOnlyList<AgentKeyDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        HttpContext http, Database database, AuditTrail audit, TimeProvider time, string id, string keyId)
    {
        var member = http.User.GetMember();
        var found = await database.WriteAsync(async (c, t) =>
        {
            var exists = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM agent_keys WHERE id = @keyId AND agent_id = @id AND workspace_id = @ws",
                new { keyId, id, ws = member.WorkspaceId }, t);
            if (exists == 0)
            {
                return false;
            }

            // Revoking twice is harmless: the first revocation time stays.
            var changed = await c.ExecuteAsync(
                "UPDATE agent_keys SET revoked_at = @now WHERE id = @keyId AND revoked_at IS NULL", new { now = time.Now(), keyId }, t);
            if (changed > 0)
            {
                await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "agent_key.revoked", "agent_key", keyId, new { agentId = id });
            }

            return true;
        }, http.RequestAborted);

        return found ? TypedResults.NoContent() : Problems.NotFound($"key `{keyId}` of agent `{id}`");
    }

    internal static Task<AgentRow?> FindAsync(System.Data.Common.DbConnection connection, string workspaceId, string id,
        System.Data.Common.DbTransaction? transaction = null) =>
        connection.QueryFirstOrDefaultAsync<AgentRow>(
            $"SELECT {AgentRow.Columns} FROM agents WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, transaction);
}
