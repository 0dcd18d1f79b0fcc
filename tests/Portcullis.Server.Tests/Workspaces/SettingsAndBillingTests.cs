using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workspaces;

public abstract class SettingsAndBillingTests(ServerFixture server)
{
    [Fact]
    public async Task Settings_have_defaults_and_change_through_patch()
    {
        var ws = await server.NewWorkspaceAsync();
        var settings = (await (await ws.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings");
        Assert.Equal("allow", settings.GetProperty("defaultDecision").GetString());
        Assert.Equal("demo", settings.GetProperty("connectorMode").GetString());
        Assert.Equal(86400, settings.GetProperty("approvalExpirySeconds").GetInt64());
        Assert.True(settings.GetProperty("forbidSelfApproval").GetBoolean());

        var patched = await ws.Owner().PatchJson("/api/workspace/settings",
            new { defaultDecision = "require_approval", connectorMode = "live", approvalExpirySeconds = 3600, forbidSelfApproval = false });
        await patched.AssertStatus(HttpStatusCode.OK);
        var after = (await (await ws.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings");
        Assert.Equal("require_approval", after.GetProperty("defaultDecision").GetString());
        Assert.Equal("live", after.GetProperty("connectorMode").GetString());
        Assert.Equal(3600, after.GetProperty("approvalExpirySeconds").GetInt64());
        Assert.False(after.GetProperty("forbidSelfApproval").GetBoolean());
    }

    [Fact]
    public async Task Invalid_settings_name_every_field_and_change_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PatchJson("/api/workspace/settings",
            new { defaultDecision = "maybe", connectorMode = "prod", approvalExpirySeconds = 5, forbidSelfApproval = "yes", billing = new { state = "free" } });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "defaultDecision", "connectorMode", "approvalExpirySeconds", "forbidSelfApproval", "billing.state" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        var settings = (await (await ws.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings");
        Assert.Equal("allow", settings.GetProperty("defaultDecision").GetString());
    }

    [Fact]
    public async Task Past_due_within_grace_is_not_locked_and_beyond_grace_is_a_402_with_recovery()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "past_due", graceDays = 7 } })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);

        var since = DateTimeOffset.UtcNow.AddDays(-10).ToString("O");
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "past_due", pastDueSince = since } })).AssertStatus(HttpStatusCode.OK);
        var locked = await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" });
        var problem = await locked.AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
        var billing = problem.GetProperty("billing");
        Assert.Equal("past_due", billing.GetProperty("state").GetString());
        Assert.Contains("grace", billing.GetProperty("reason").GetString());
        Assert.Contains("portcullis billing set", billing.GetProperty("recovery").GetString());
    }

    [Theory]
    [InlineData("cancelled", null, "cancelled")]
    [InlineData("trialing", "2020-01-01T00:00:00Z", "trial_expired")]
    public async Task Locked_states_refuse_agents_with_402(string state, string? trialEndsAt, string lockState)
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state, trialEndsAt } })).AssertStatus(HttpStatusCode.OK);

        var start = await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
        Assert.Equal(lockState, start.GetProperty("billing").GetProperty("state").GetString());
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2 } } }))
            .AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");

        // Agents can still close what they opened.
        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "failed" })).AssertStatus(HttpStatusCode.OK);

        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "active" } })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_future_trial_end_is_not_locked()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "trialing" } })).AssertStatus(HttpStatusCode.OK);
        var billing = (await (await ws.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings").GetProperty("billing");
        Assert.False(billing.GetProperty("locked").GetBoolean());
        await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Only_an_owner_changes_billing()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = server.WithBearer(await ws.MemberTokenAsync("admin"));
        await (await admin.PatchJson("/api/workspace/settings", new { billing = new { state = "cancelled" } })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PatchJson("/api/workspace/settings", new { defaultDecision = "block" })).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class SettingsAndBillingSqliteTests(SqliteServer s) : SettingsAndBillingTests(s), IClassFixture<SqliteServer>;

public sealed class SettingsAndBillingPostgresTests(PostgresServer s) : SettingsAndBillingTests(s), IClassFixture<PostgresServer>;
