using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Credentials;

/// <summary>Governed execution against (a local fake of) the real Stripe API.</summary>
public abstract class LiveExecutionTests(LiveStripeServer server)
{
    [Fact]
    public async Task An_allowed_refund_executes_once_against_stripe_with_the_secret_key_and_an_idempotency_key()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync();
        var before = server.Stripe.RefundCalls;
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        var execution = answer.GetProperty("execution");
        Assert.Equal("executed", execution.GetProperty("status").GetString());
        Assert.False(execution.GetProperty("simulated").GetBoolean());
        Assert.Equal("re_live_1", execution.GetProperty("response_payload").GetProperty("id").GetString());
        Assert.Equal(before + 1, server.Stripe.RefundCalls);
        var call = server.Stripe.Requests.Last(r => r.Path == "/v1/refunds");
        Assert.Equal($"Bearer {FakeStripe.GoodKey}", call.Authorization);
        Assert.Equal($"portcullis-{answer.GetProperty("actionRequestId").GetString()}", call.IdempotencyKey);
        Assert.Contains("charge=ch_3OabcEXAMPLE", call.Body);
        Assert.Contains("amount=7999", call.Body);
    }

    [Fact]
    public async Task A_blocked_refund_never_reaches_stripe()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync();
        await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block");
        var before = server.Stripe.RefundCalls;
        var runId = await ws.StartRunAsync();
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        Assert.Equal(before, server.Stripe.RefundCalls);
    }

    [Fact]
    public async Task An_agent_without_the_link_cannot_use_the_credential()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync(link: false);
        var before = server.Stripe.RefundCalls;
        var runId = await ws.StartRunAsync();
        var execution = (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("execution");
        Assert.Equal("failed", execution.GetProperty("status").GetString());
        Assert.Equal("connector_not_connected", execution.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, server.Stripe.RefundCalls);
    }

    [Fact]
    public async Task Disconnect_unlinks_only_and_delete_is_refused_while_linked()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.ConnectStripeAsync();
        await (await ws.Owner().DeleteAsync($"/api/credentials/{id}")).AssertProblem(HttpStatusCode.Conflict, "credential_linked");

        await (await ws.Owner().DeleteAsync($"/api/credentials/{id}/links/{ws.AgentId}")).AssertStatus(HttpStatusCode.NoContent);
        var runId = await ws.StartRunAsync();
        var execution = (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("execution");
        Assert.Equal("connector_not_connected", execution.GetProperty("error").GetProperty("code").GetString());
        await (await ws.Owner().GetAsync($"/api/credentials/{id}")).AssertStatus(HttpStatusCode.OK);

        await (await ws.Owner().DeleteAsync($"/api/credentials/{id}")).AssertStatus(HttpStatusCode.NoContent);
        await (await ws.Owner().GetAsync($"/api/credentials/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_provider_error_is_a_failed_execution_with_its_status_and_code_not_a_500()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync("sk_test_WrongKeyForFakeStripe99");
        var runId = await ws.StartRunAsync();
        var execution = (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("execution");
        Assert.Equal("failed", execution.GetProperty("status").GetString());
        Assert.Equal(401, execution.GetProperty("error").GetProperty("provider_status").GetInt32());
        Assert.Equal("api_key_invalid", execution.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("action.failed", await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task Verify_connection_makes_a_cheap_authenticated_call_and_records_the_result()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.ConnectStripeAsync();
        var verify = await (await ws.Owner().PostAsync($"/api/credentials/{id}/verify", null)).Json();
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Contains(server.Stripe.Requests, r => r.Path == "/v1/balance");
        var stored = await (await ws.Owner().GetAsync($"/api/credentials/{id}")).Json();
        Assert.True(stored.GetProperty("verifyOk").GetBoolean());

        var bad = await ws.ConnectStripeAsync("sk_test_AnotherWrongKey0000", link: false);
        var failed = await (await ws.Owner().PostAsync($"/api/credentials/{bad}/verify", null)).Json();
        Assert.False(failed.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Integrations_list_connected_ready_to_link_and_available_providers()
    {
        var ws = await server.NewWorkspaceAsync();
        var linked = await ws.ConnectStripeAsync();
        var other = await (await ws.Owner().PostJson("/api/credentials", new
        {
            provider = "zendesk", name = "Support desk", secrets = new { subdomain = "acme", email = "ops@acme.example", apiToken = "zd_token_abcdef123456" },
        })).Json();

        var integrations = await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/integrations")).Json();
        Assert.Equal(linked, Assert.Single(integrations.GetProperty("connected").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(other.GetProperty("id").GetString(), Assert.Single(integrations.GetProperty("readyToLink").EnumerateArray()).GetProperty("id").GetString());
        var available = integrations.GetProperty("available").EnumerateArray().Select(p => p.GetProperty("provider").GetString()).ToList();
        Assert.Contains("gmail", available);
        Assert.DoesNotContain("stripe", available);
        Assert.DoesNotContain("zendesk", available);
    }

    [Fact]
    public async Task Credential_input_is_validated_per_provider()
    {
        var ws = await server.NewWorkspaceAsync();
        var missing = await ws.Owner().PostJson("/api/credentials", new { provider = "twilio", name = "sms", secrets = new { accountSid = "AC123", extra = "x" } });
        var errors = (await missing.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("secrets.authToken", out _));
        Assert.True(errors.TryGetProperty("secrets.fromNumber", out _));
        Assert.True(errors.TryGetProperty("secrets.extra", out _));

        var oauthOnly = await ws.Owner().PostJson("/api/credentials", new { provider = "gmail", name = "mail", secrets = new { } });
        Assert.True((await oauthOnly.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("provider", out _));

        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.PostJson("/api/credentials", new { provider = "stripe", name = "s", secrets = new { apiKey = "sk_test_x" } })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Another_workspace_cannot_see_link_or_use_a_credential()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var id = await a.ConnectStripeAsync(link: false);
        await (await b.Owner().GetAsync($"/api/credentials/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().PostJson($"/api/credentials/{id}/links", new { agentId = b.AgentId })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await a.Owner().PostJson($"/api/credentials/{id}/links", new { agentId = b.AgentId })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().PostAsync($"/api/credentials/{id}/verify", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class LiveExecutionSqliteTests(LiveStripeSqliteServer s) : LiveExecutionTests(s), IClassFixture<LiveStripeSqliteServer>;

public sealed class LiveExecutionPostgresTests(LiveStripePostgresServer s) : LiveExecutionTests(s), IClassFixture<LiveStripePostgresServer>;
