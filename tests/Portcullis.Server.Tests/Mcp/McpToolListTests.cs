using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary><c>tools/list</c>: the agent's built-ins (demo mode or linked credentials), custom tools, and what block policies hide.</summary>
public abstract class McpToolListTests(ServerFixture server)
{
    [Fact]
    public async Task Demo_mode_lists_every_built_in_with_its_schema_and_hints_and_the_wait_tool()
    {
        var ws = await server.NewWorkspaceAsync();
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);

        var refund = tools["refund.create"].ProtocolTool;
        Assert.Equal("object", refund.InputSchema.GetProperty("type").GetString());
        Assert.True(refund.InputSchema.GetProperty("properties").TryGetProperty("amount", out _));
        Assert.Equal((false, true, true), (refund.Annotations!.ReadOnlyHint, refund.Annotations.DestructiveHint, refund.Annotations.OpenWorldHint));
        var retrieve = tools["charge.retrieve"].ProtocolTool.Annotations!;
        Assert.Equal((true, true), (retrieve.ReadOnlyHint, retrieve.IdempotentHint));
        Assert.Contains("portcullis_wait_for_approval", tools.Keys);
        Assert.Contains("slack.post_message", tools.Keys);
        Assert.True(tools.Count > 10, $"only {tools.Count} tools");
    }

    [Fact]
    public async Task In_live_mode_only_the_providers_of_linked_credentials_are_listed()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = ws.Owner();
        await (await owner.PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        await using (var none = await McpSession.ConnectAsync(server, ws.AgentKey))
        {
            Assert.Equal(["portcullis_wait_for_approval"], (await none.ListToolsAsync()).Select(t => t.Name));
        }

        var credential = await owner.PostJson("/api/credentials", new { provider = "stripe", name = "stripe", secrets = new { apiKey = "sk_test_mcp000000000000000" } });
        await credential.AssertStatus(HttpStatusCode.Created);
        var id = (await credential.Json()).GetProperty("id").GetString();
        await (await owner.PostJson($"/api/credentials/{id}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);

        await using var linked = await McpSession.ConnectAsync(server, ws.AgentKey);
        var names = (await linked.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("refund.create", names);
        Assert.DoesNotContain("email.send", names);
    }

    [Fact]
    public async Task A_tool_a_block_policy_always_blocks_is_hidden_but_one_blocked_only_for_some_payloads_stays()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no refunds over mcp", "action_type = refund.create AND source = mcp", "block", "refunds need a person");
        await ws.CreatePolicyAsync("no big emails", "action_type = email.send AND payload.to CONTAINS ceo", "block");
        await ws.CreatePolicyAsync("not this agent", "action_type = customer.retrieve AND agent.id = agt_someone_else", "block");
        await ws.CreatePolicyAsync("this agent", "action_type = slack.post_message", "block", agentIds: [ws.AgentId!]);
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();

        Assert.DoesNotContain("refund.create", names);
        Assert.Contains("charge.retrieve", names);
        Assert.Contains("customer.retrieve", names);
        Assert.DoesNotContain("slack.post_message", names);
        Assert.Contains("email.send", names);
        var call = await client.CallAsync("refund.create", new { charge = "ch_1", amount = 100 });
        Assert.True(call.IsError);
        Assert.Contains("refunds need a person", call.Text());
        Assert.Equal("block", call.Answer()["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_tools_are_declared_by_admins_listed_and_called_decided_and_recorded_never_dispatched()
    {
        var ws = await server.NewWorkspaceAsync();
        var schema = new { type = "object", properties = new { ticketId = new { type = "string" } }, required = new[] { "ticketId" } };
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.PostJson("/api/mcp/tools", new { name = "ticket.escalate", description = "Escalate", inputSchema = schema }))
            .AssertStatus(HttpStatusCode.Forbidden);
        var created = await ws.Owner().PostJson("/api/mcp/tools", new { name = "ticket.escalate", description = "Escalate a ticket", inputSchema = schema });
        await created.AssertStatus(HttpStatusCode.Created);
        var id = (await created.Json()).GetProperty("id").GetString()!;
        await (await ws.Owner().PostJson("/api/mcp/tools", new { name = "ticket.escalate", description = "again", inputSchema = schema }))
            .AssertProblem(HttpStatusCode.Conflict, "conflict");
        var refused = await (await ws.Owner().PostJson("/api/mcp/tools", new { name = "refund.create", description = "x", inputSchema = new { type = "string" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(refused.GetProperty("errors").TryGetProperty("inputSchema", out _));
        Assert.Equal("ticket.escalate", (await (await viewer.GetAsync("/api/mcp/tools")).Json())[0].GetProperty("name").GetString());

        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);
        var tool = Assert.Single(await client.ListToolsAsync(), t => t.Name == "ticket.escalate");
        Assert.Equal("Escalate a ticket", tool.Description);
        var call = await client.CallAsync("ticket.escalate", new { ticketId = "T-1" });
        Assert.False(call.IsError);
        Assert.Equal("allow", call.Structured().GetProperty("decision").GetString());
        Assert.False(call.Structured().TryGetProperty("execution", out _));
        Assert.Contains("action.requested", await ws.TimelineTypesAsync(call.RunId()));

        await (await ws.Owner().DeleteAsync($"/api/mcp/tools/{id}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.DoesNotContain(await client.ListToolsAsync(), t => t.Name == "ticket.escalate");
    }
}

public sealed class McpToolListSqliteTests(SqliteServer s) : McpToolListTests(s), IClassFixture<SqliteServer>;

public sealed class McpToolListPostgresTests(PostgresServer s) : McpToolListTests(s), IClassFixture<PostgresServer>;
