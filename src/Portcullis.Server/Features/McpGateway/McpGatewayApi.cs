using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Upstream MCP servers: <c>/api/mcp/servers…</c>. Admins change, viewers read; the credential goes in once and never comes out.</summary>
public static class McpGatewayApi
{
    public const string NameTakenCode = "mcp_server_exists";
    public const string UpstreamFailedCode = "mcp_upstream_unavailable";

    public sealed record RegisterRequest(string Name, string Url, string? Credential, string? CredentialHeader);

    public static RouteGroupBuilder MapMcpGateway(this RouteGroupBuilder group)
    {
        var servers = group.MapGroup("/mcp/servers").WithTags("MCP gateway");
        servers.MapPost("", Register).RequireAuthorization(RolePolicies.Admin).Accepts<RegisterRequest>("application/json");
        servers.MapGet("", List).RequireAuthorization(RolePolicies.Viewer);
        servers.MapGet("/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        servers.MapDelete("/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        servers.MapPost("/{id}/refresh", Refresh).RequireAuthorization(RolePolicies.Admin);
        servers.MapPost("/{id}/tools/{tool}/approve", Approve).RequireAuthorization(RolePolicies.Admin);
        servers.MapPost("/{id}/agents/{agentId}", Link).RequireAuthorization(RolePolicies.Admin);
        servers.MapDelete("/{id}/agents/{agentId}", Unlink).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Results<Created<McpServerDto>, ProblemHttpResult>> Register(
        HttpContext http, RegisterMcpServer register, IOptions<LimitsOptions> limits) =>
        await JsonBody.ThenAsync<Created<McpServerDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new RegisterMcpServerCommand(http.User.GetMember(), f.Text("name"), f.Text("url"), f.Text("credential"), f.Text("credentialHeader"));
            return await register.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                RegisterMcpServerResult.Created created => TypedResults.Created($"/api/mcp/servers/{created.Server.Id}", created.Server),
                RegisterMcpServerResult.Invalid invalid => Problems.Validation(invalid.Errors),
                RegisterMcpServerResult.UrlNotAllowed refused => Problems.UrlNotAllowed("url", refused.Reason),
                RegisterMcpServerResult.NameTaken taken => Problems.Conflict($"an MCP server named `{taken.Name}` is registered already", NameTakenCode),
                RegisterMcpServerResult.UpstreamFailed failed => UpstreamFailed(failed.Message),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });

    public static async Task<Ok<IReadOnlyList<McpServerDto>>> List(HttpContext http, McpServerStore store) =>
        TypedResults.Ok(await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

    public static async Task<Results<Ok<McpServerDto>, ProblemHttpResult>> Get(HttpContext http, McpServerStore store, string id) =>
        await store.GetAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } server
            ? TypedResults.Ok(server)
            : Problems.NotFound($"MCP server `{id}`");

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, McpServerLinks links, string id) =>
        Answer(await links.DeleteAsync(http.User.GetMember(), id, http.RequestAborted), id, null);

    public static async Task<Results<Ok<McpRefreshDto>, ProblemHttpResult>> Refresh(HttpContext http, RefreshMcpServer refresh, string id) =>
        await refresh.ExecuteAsync(new RefreshMcpServerCommand(http.User.GetMember(), id), http.RequestAborted) switch
        {
            RefreshMcpServerResult.Refreshed r => TypedResults.Ok(r.Refresh),
            RefreshMcpServerResult.NotFound => Problems.NotFound($"MCP server `{id}`"),
            RefreshMcpServerResult.UpstreamFailed failed => UpstreamFailed(failed.Message),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public static async Task<Results<Ok<McpToolDto>, ProblemHttpResult>> Approve(HttpContext http, ApproveMcpTool approve, string id, string tool) =>
        await approve.ExecuteAsync(new ApproveMcpToolCommand(http.User.GetMember(), id, tool), http.RequestAborted) switch
        {
            ApproveMcpToolResult.Approved a => TypedResults.Ok(a.Tool),
            ApproveMcpToolResult.ServerNotFound => Problems.NotFound($"MCP server `{id}`"),
            ApproveMcpToolResult.ToolNotFound => Problems.NotFound($"tool `{tool}` of MCP server `{id}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public static async Task<Results<NoContent, ProblemHttpResult>> Link(HttpContext http, McpServerLinks links, string id, string agentId) =>
        Answer(await links.LinkAsync(http.User.GetMember(), id, agentId, http.RequestAborted), id, agentId);

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(HttpContext http, McpServerLinks links, string id, string agentId) =>
        Answer(await links.UnlinkAsync(http.User.GetMember(), id, agentId, http.RequestAborted), id, agentId);

    private static Results<NoContent, ProblemHttpResult> Answer(McpServerLinks.Outcome outcome, string id, string? agentId) => outcome switch
    {
        McpServerLinks.Outcome.Done => TypedResults.NoContent(),
        McpServerLinks.Outcome.ServerNotFound => Problems.NotFound($"MCP server `{id}`"),
        McpServerLinks.Outcome.AgentNotFound => Problems.NotFound($"agent `{agentId}`"),
        McpServerLinks.Outcome.LinkNotFound => Problems.NotFound($"link of MCP server `{id}` to agent `{agentId}`"),
        _ => throw new UnreachableException($"unexpected {outcome}"),
    };

    private static ProblemHttpResult UpstreamFailed(string message) =>
        Problems.Create(502, UpstreamFailedCode, "MCP server unavailable", message);
}
