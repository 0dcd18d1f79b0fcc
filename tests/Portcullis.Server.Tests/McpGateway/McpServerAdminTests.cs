using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.McpGateway;

/// <summary>Registering upstream MCP servers: pinning, the sealed credential, the outbound guard, roles and workspaces.</summary>
public abstract class McpServerAdminTests(McpGatewayServer server)
{
    private const string Secret = "upstream-secret-4f9d2c7a1b8e6d30";

    [Fact]
    public async Task Registering_lists_the_upstream_tools_and_pins_each_pending_with_its_definition_hash()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.RegisterMcpAsync("everything", server.Everything.Url);

        Assert.StartsWith("mcs_", created.GetProperty("id").GetString());
        var echo = created.Tool("echo");
        Assert.Equal("pending", echo.GetProperty("status").GetString());
        Assert.Matches("^[0-9a-f]{64}$", echo.GetProperty("definitionHash").GetString()!);
        Assert.Equal("mcp.everything.echo", echo.GetProperty("actionType").GetString());
        Assert.Equal("everything__echo", echo.GetProperty("gatewayName").GetString());
        Assert.True(echo.GetProperty("annotations").GetProperty("idempotentHint").GetBoolean());
        Assert.True(created.GetProperty("tools").GetArrayLength() > 3);
        Assert.Equal(JsonValueKindObject, echo.GetProperty("inputSchema").ValueKind);

        var listed = await (await ws.Owner().GetAsync("/api/mcp/servers")).Json();
        Assert.Equal(created.GetProperty("id").GetString(), listed[0].GetProperty("id").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindObject = System.Text.Json.JsonValueKind.Object;

    [Fact]
    public async Task The_credential_is_sealed_sent_upstream_as_a_bearer_token_and_never_shown()
    {
        await using var upstream = await UpstreamMcpServer.PinnedAsync("Looks up a record", requiredToken: Secret);
        var ws = await server.NewWorkspaceAsync();
        // Without the token the upstream refuses the listing, so nothing is saved.
        await (await ws.Owner().PostJson("/api/mcp/servers", new { name = "records", url = upstream.Url }))
            .AssertProblem(HttpStatusCode.BadGateway, "mcp_upstream_unavailable");

        var created = await ws.RegisterMcpAsync("records", upstream.Url, Secret);
        Assert.Equal("pending", created.Tool("lookup").GetProperty("status").GetString());
        Assert.Equal("Authorization", created.GetProperty("credential").GetProperty("header").GetString());
        var id = created.GetProperty("id").GetString()!;
        var shown = string.Join('\n', created.GetRawText(),
            await (await ws.Owner().GetAsync($"/api/mcp/servers/{id}")).Content.ReadAsStringAsync(),
            await (await ws.Owner().GetAsync("/api/mcp/servers")).Content.ReadAsStringAsync(),
            await (await ws.Owner().GetAsync("/api/audit")).Content.ReadAsStringAsync(),
            await (await ws.Owner().PostAsync($"/api/mcp/servers/{id}/refresh", null)).Content.ReadAsStringAsync());
        Assert.DoesNotContain(Secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, server.Logs.All, StringComparison.Ordinal);
        Assert.Contains("mcp.server_registered", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://127.0.0.2:9/mcp")]
    [InlineData("http://10.1.2.3/mcp")]
    [InlineData("http://[::1]:9/mcp")]
    public async Task An_internal_url_is_refused_unless_the_operator_allows_it(string url)
    {
        var ws = await server.NewWorkspaceAsync();
        var body = await (await ws.Owner().PostJson("/api/mcp/servers", new { name = "internal", url }))
            .AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        Assert.Contains("Portcullis:Network:AllowedTargets", body.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Empty((await (await ws.Owner().GetAsync("/api/mcp/servers")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task Bad_fields_are_named_and_a_taken_name_is_a_conflict()
    {
        var ws = await server.NewWorkspaceAsync();
        var body = await (await ws.Owner().PostJson("/api/mcp/servers", new { name = "Bad-Name", url = "ftp://x" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(body.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("url", out _));

        await ws.RegisterMcpAsync("dup", server.Everything.Url);
        await (await ws.Owner().PostJson("/api/mcp/servers", new { name = "dup", url = server.Everything.Url }))
            .AssertProblem(HttpStatusCode.Conflict, "mcp_server_exists");
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_its_servers()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var id = (await ws.RegisterMcpAsync("mine", server.Everything.Url)).GetProperty("id").GetString()!;

        var owner = other.Owner();
        await (await owner.GetAsync($"/api/mcp/servers/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.DeleteAsync($"/api/mcp/servers/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostAsync($"/api/mcp/servers/{id}/refresh", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostAsync($"/api/mcp/servers/{id}/tools/echo/approve", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostAsync($"/api/mcp/servers/{id}/agents/{other.AgentId}", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        // Nor can its own server be linked to an agent of another workspace.
        var theirs = (await other.RegisterMcpAsync("theirs", server.Everything.Url)).GetProperty("id").GetString()!;
        await (await owner.PostAsync($"/api/mcp/servers/{theirs}/agents/{ws.AgentId}", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Single((await (await owner.GetAsync("/api/mcp/servers")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task A_viewer_reads_servers_but_cannot_register_approve_or_delete()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = (await ws.RegisterMcpAsync("viewed", server.Everything.Url)).GetProperty("id").GetString()!;
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));

        await (await viewer.GetAsync($"/api/mcp/servers/{id}")).AssertStatus(HttpStatusCode.OK);
        await (await viewer.PostJson("/api/mcp/servers", new { name = "nope", url = server.Everything.Url })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PostAsync($"/api/mcp/servers/{id}/tools/echo/approve", null)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.DeleteAsync($"/api/mcp/servers/{id}")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Only_approved_tools_of_linked_servers_are_listed_for_an_agent()
    {
        var ws = await server.NewWorkspaceAsync();
        var tools = server.Factory.Services.GetRequiredService<McpGatewayTools>();
        var id = (await ws.RegisterMcpAsync("ev", server.Everything.Url)).GetProperty("id").GetString()!;
        await ws.ApproveMcpToolAsync(id, "echo");
        Assert.Empty(await tools.ListForAgentAsync(ws.WorkspaceId!, ws.AgentId!, default));

        await ws.LinkMcpAsync(id);
        var listed = Assert.Single(await tools.ListForAgentAsync(ws.WorkspaceId!, ws.AgentId!, default));
        Assert.Equal("ev__echo", listed.Name);
        Assert.Equal("mcp.ev.echo", listed.ActionType);
        Assert.Equal("Echoes back the input string", listed.Description);
        Assert.True(listed.IdempotentHint);
        Assert.Equal("object", listed.InputSchema.GetProperty("type").GetString());

        await (await ws.Owner().DeleteAsync($"/api/mcp/servers/{id}/agents/{ws.AgentId}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Empty(await tools.ListForAgentAsync(ws.WorkspaceId!, ws.AgentId!, default));
        await (await ws.Owner().DeleteAsync($"/api/mcp/servers/{id}")).AssertStatus(HttpStatusCode.NoContent);
        await (await ws.Owner().GetAsync($"/api/mcp/servers/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class McpServerAdminSqliteTests(McpGatewaySqliteServer s) : McpServerAdminTests(s), IClassFixture<McpGatewaySqliteServer>;

public sealed class McpServerAdminPostgresTests(McpGatewayPostgresServer s) : McpServerAdminTests(s), IClassFixture<McpGatewayPostgresServer>;
