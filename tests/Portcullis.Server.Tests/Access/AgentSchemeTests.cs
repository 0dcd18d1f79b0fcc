using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

/// <summary>Which credential opens which door: agent keys (header or body), member tokens and dashboard sessions.</summary>
public abstract class AgentSchemeTests(ServerFixture server)
{
    [Fact]
    public async Task A_key_in_the_body_works_on_each_of_the_four_spec_endpoints()
    {
        var ws = await server.NewWorkspaceAsync();
        var anonymous = server.Anonymous();
        var start = await anonymous.PostJson("/api/ingest/run-start", new { agentKey = ws.AgentKey, triggerType = "t" });
        await start.AssertStatus(HttpStatusCode.Created);
        var runId = (await start.Json()).GetProperty("runId").GetString()!;

        await (await anonymous.PostJson("/api/ingest/events", new { agentKey = ws.AgentKey, runId, events = new[] { new { eventType = "x", sequenceNo = 2 } } }))
            .AssertStatus(HttpStatusCode.OK);
        await (await anonymous.PostJson("/api/actions/request", new
        {
            agentKey = ws.AgentKey,
            runId,
            actionType = "email.send",
            payload = new { to = "a@example.com", subject = "Hi", text = "Hello" },
        })).AssertStatus(HttpStatusCode.OK);
        await (await anonymous.PostJson("/api/ingest/run-end", new { agentKey = ws.AgentKey, runId, status = "completed" })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_header_key_wins_over_a_key_in_the_body()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        await (await server.WithBearer(ws.AgentKey + "x").PostJson("/api/ingest/run-start", new { agentKey = ws.AgentKey, triggerType = "t" }))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var started = await (await other.Agent().PostJson("/api/ingest/run-start", new { agentKey = ws.AgentKey, triggerType = "t" })).Json();
        var runId = started.GetProperty("runId").GetString()!;
        await (await other.Owner().GetAsync($"/api/runs/{runId}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_in_the_body_does_not_open_an_approval()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var requested = await ApprovalSteps.RequestRefundAsync(ws.Agent());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/approvals/{requested.ApprovalId}")
        {
            Content = JsonContent.Create(new { agentKey = ws.AgentKey }),
        };
        await (await server.Anonymous().SendAsync(request)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await ws.Agent().GetAsync($"/api/approvals/{requested.ApprovalId}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_approval_answers_the_agent_its_view_and_a_member_the_approvers_view()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var requested = await ApprovalSteps.RequestRefundAsync(ws.Agent());

        var asAgent = await ws.Agent().ApprovalAsync(requested.ApprovalId);
        var asMember = await server.WithBearer(await ws.MemberTokenAsync("viewer")).ApprovalAsync(requested.ApprovalId);
        Assert.False(asAgent.TryGetProperty("agentName", out _));
        Assert.Equal("agent-one", asMember.GetProperty("agentName").GetString());
    }

    [Fact]
    public async Task A_dashboard_session_opens_neither_the_agent_api_nor_an_approval()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var requested = await ApprovalSteps.RequestRefundAsync(ws.Agent());
        var session = await ws.MemberTokenAsync("owner");
        var browser = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Add("Cookie", $"portcullis_session={session}");
        await (await browser.GetAsync("/runs")).AssertStatus(HttpStatusCode.OK); // the session is good where it belongs

        await (await browser.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await browser.GetAsync($"/api/approvals/{requested.ApprovalId}")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        // The same session as a bearer token is a member, still not an agent.
        await (await server.WithBearer(session).GetAsync($"/api/approvals/{requested.ApprovalId}")).AssertStatus(HttpStatusCode.OK);
        await (await server.Anonymous().PostJson("/api/ingest/run-start", new { agentKey = session, triggerType = "t" }))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_agent_key_opens_no_management_endpoint_and_a_bad_key_on_an_approval_gets_the_one_401()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Agent().GetAsync("/api/approvals")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await ws.Agent().PostJson("/api/approvals/apr_x/approve", new { })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var bad = await server.WithBearer(ws.AgentKey[..^1] + "x").GetAsync("/api/approvals/apr_x");
        var body = await bad.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("a valid API key or token is required", body.GetProperty("detail").GetString());
    }
}

public sealed class AgentSchemeSqliteTests(SqliteServer s) : AgentSchemeTests(s), IClassFixture<SqliteServer>;

public sealed class AgentSchemePostgresTests(PostgresServer s) : AgentSchemeTests(s), IClassFixture<PostgresServer>;
