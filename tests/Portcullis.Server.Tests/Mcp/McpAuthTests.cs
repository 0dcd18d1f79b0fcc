using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>The MCP endpoint takes an agent key: without one a 401 points at the RFC 9728 protected-resource metadata.</summary>
public abstract class McpAuthTests(ServerFixture server)
{
    [Theory]
    [InlineData(null)]
    [InlineData("pk_live_NotARealKey0000000000000000000000")]
    public async Task A_missing_or_bad_key_gets_401_with_the_resource_metadata_in_WWW_Authenticate(string? key)
    {
        var http = key is null ? server.Anonymous() : server.WithBearer(key);
        var response = await http.PostRaw("/mcp", """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}""");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        var expected = "resource_metadata=\"http://localhost/.well-known/oauth-protected-resource\"" + (key is null ? "" : ", error=\"invalid_token\"");
        Assert.Equal(expected, challenge.Parameter);
    }

    [Fact]
    public async Task The_REST_API_keeps_its_401_without_a_resource_challenge()
    {
        var response = await server.Anonymous().PostJson("/api/actions/request", new { });
        await response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource")]
    [InlineData("/.well-known/oauth-protected-resource/mcp")]
    public async Task The_protected_resource_metadata_names_the_mcp_endpoint(string path)
    {
        var metadata = await (await server.Anonymous().GetAsync(path)).Json();
        Assert.Equal("http://localhost/mcp", metadata.GetProperty("resource").GetString());
        Assert.Equal("header", Assert.Single(metadata.GetProperty("bearer_methods_supported").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_locked_workspace_gets_a_tool_error_for_a_call_and_can_still_list()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "cancelled" } })).AssertStatus(HttpStatusCode.OK);
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "refund.create");
        var call = await client.CallAsync("refund.create", new { charge = "ch_1", amount = 100 });
        Assert.True(call.IsError);
        Assert.Equal("billing_locked", call.Structured().GetProperty("code").GetString());
    }
}

public sealed class McpAuthSqliteTests(SqliteServer s) : McpAuthTests(s), IClassFixture<SqliteServer>;

public sealed class McpAuthPostgresTests(PostgresServer s) : McpAuthTests(s), IClassFixture<PostgresServer>;
