using System.Text.Json;

namespace Portcullis.Client.Tests;

public sealed class CallTests : ClientTestBase
{
    [Fact]
    public async Task StartRun_posts_the_trigger_fields_with_the_key_as_a_bearer_token()
    {
        Server.Reply(Fixtures.Json(new { runId = "run_1", status = "running" }, 201));

        var started = await Client.StartRunAsync(new StartRunRequest { TriggerType = "support-ticket", ExternalRef = "TKT-1042", AgentVersion = "1.4.2" });

        Assert.Equal(new RunStarted("run_1", "running"), started);
        var request = Assert.Single(Server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/ingest/run-start", request.PathAndQuery);
        Assert.Equal($"Bearer {Fixtures.AgentKey}", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal("portcullis-sdk-dotnet/0.1.0", request.Header("User-Agent"));
        Assert.Equal("dotnet/0.1.0", request.Header("X-Portcullis-Sdk"));
        // The key travels in the header only; absent fields are left out, not sent as null.
        AssertJson("""{"triggerType":"support-ticket","externalRef":"TKT-1042","agentVersion":"1.4.2"}""", request.Body);
    }

    [Fact]
    public async Task LogEvents_posts_the_run_id_and_events_with_times_in_utc()
    {
        Server.Reply(Fixtures.Json(new { accepted = 2, duplicates = 0 }));

        var result = await Client.LogEventsAsync("run_1",
        [
            new RunEvent("context.retrieved", 2, new Dictionary<string, object> { ["documentsFound"] = 3, ["Source"] = "kb" }),
            new RunEvent("intent.classified", 3, new { Intent = "refund-request" }, new DateTimeOffset(2026, 11, 21, 23, 44, 2, 123, TimeSpan.FromHours(1))),
        ]);

        Assert.Equal(new LogEventsResult(2, 0), result);
        var request = Assert.Single(Server.Received);
        Assert.Equal("/api/ingest/events", request.PathAndQuery);
        // Dictionary keys are sent as written; anonymous objects' properties camelCase.
        AssertJson("""
            {"runId":"run_1","events":[
              {"eventType":"context.retrieved","sequenceNo":2,"payload":{"documentsFound":3,"Source":"kb"}},
              {"eventType":"intent.classified","sequenceNo":3,"payload":{"intent":"refund-request"},"occurredAt":"2026-11-21T22:44:02.123Z"}]}
            """, request.Body);
    }

    [Fact]
    public async Task RequestAction_posts_every_field_and_the_given_idempotency_key()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("block")));

        await Client.RequestActionAsync(new ActionRequest
        {
            RunId = "run_1",
            ActionType = "refund.create",
            Provider = "stripe",
            ResourceType = "charge",
            ResourceId = "ch_1",
            Payload = new { charge = "ch_1", amount = 7999 },
            Evidence = new { confidence = 0.92 },
            IdempotencyKey = "refund-TKT-1042",
            CallbackUrl = new Uri("https://agent.example.com/approved"),
        });

        var request = Assert.Single(Server.Received);
        Assert.Equal("/api/actions/request", request.PathAndQuery);
        Assert.Equal("refund-TKT-1042", request.Header("Idempotency-Key"));
        AssertJson("""
            {"runId":"run_1","actionType":"refund.create","provider":"stripe","resourceType":"charge","resourceId":"ch_1",
             "payload":{"charge":"ch_1","amount":7999},"evidence":{"confidence":0.92},
             "idempotencyKey":"refund-TKT-1042","callbackUrl":"https://agent.example.com/approved"}
            """, request.Body);
    }

    [Fact]
    public async Task RequestAction_generates_an_idempotency_key_when_none_is_given()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("block")), Fixtures.Json(Fixtures.ActionAnswer("block")));

        await Client.RequestActionAsync(new ActionRequest { RunId = "run_1", ActionType = "refund.create", Payload = new { amount = 1 } });
        await Client.RequestActionAsync(new ActionRequest { RunId = "run_1", ActionType = "refund.create", Payload = new { amount = 1 } });

        var first = Server.Received[0];
        Assert.True(Guid.TryParse(first.Header("Idempotency-Key"), out _));
        Assert.Equal(first.Header("Idempotency-Key"), first.Body!.Value.GetProperty("idempotencyKey").GetString());
        Assert.NotEqual(first.Header("Idempotency-Key"), Server.Received[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task CheckAction_posts_the_request_to_the_check_endpoint_and_returns_the_decision_it_would_get()
    {
        Server.Reply(Fixtures.Json(new
        {
            decision = "require_approval", reason = "refunds over $50 need a human",
            matchedPolicies = new[] { new { id = "pol_1", name = "big refunds", decision = "require_approval", reason = (string?)null, priority = 2 } },
        }));

        var check = await Client.CheckActionAsync(new ActionRequest { RunId = "run_1", ActionType = "refund.create", Payload = new { charge = "ch_1", amount = 7999 } });

        Assert.Equal(("require_approval", "refunds over $50 need a human", false), (check.Decision, check.Reason, check.IsAllowed));
        Assert.Equal(new MatchedPolicy("pol_1", "big refunds", "require_approval", null, 2), Assert.Single(check.MatchedPolicies));
        var request = Assert.Single(Server.Received);
        Assert.Equal("/api/actions/check", request.PathAndQuery);
        // Nothing is recorded, so no idempotency key is made up for a check.
        Assert.Null(request.Header("Idempotency-Key"));
        AssertJson("""{"runId":"run_1","actionType":"refund.create","payload":{"charge":"ch_1","amount":7999}}""", request.Body);
    }

    [Fact]
    public async Task CheckAction_refuses_an_unknown_decision()
    {
        Server.Reply(Fixtures.Json(new { decision = "maybe", reason = "?", matchedPolicies = Array.Empty<object>() }));

        var error = await Assert.ThrowsAsync<PortcullisException>(() =>
            Client.CheckActionAsync(new ActionRequest { RunId = "run_1", ActionType = "refund.create", Payload = new { } }));

        Assert.Equal("invalid_response", error.Code);
    }

    [Fact]
    public async Task EndRun_posts_the_final_status_in_lower_case_and_returns_the_run()
    {
        Server.Reply(Fixtures.Json(Fixtures.Run("failed")));

        var run = await Client.EndRunAsync("run_1", RunEndStatus.Failed);

        Assert.Equal("failed", run.Status);
        Assert.Equal("agt_1", run.AgentId);
        Assert.Equal(DateTimeOffset.Parse("2026-11-21T22:45:02.123Z", System.Globalization.CultureInfo.InvariantCulture), run.EndedAt);
        var request = Assert.Single(Server.Received);
        Assert.Equal("/api/ingest/run-end", request.PathAndQuery);
        AssertJson("""{"runId":"run_1","status":"failed"}""", request.Body);
    }

    [Fact]
    public async Task GetApproval_gets_the_approval_by_its_escaped_id_without_a_body()
    {
        Server.Reply(Fixtures.Json(Fixtures.Approval("approved", Fixtures.Execution())));

        var approval = await Client.GetApprovalAsync("apr_1/../x");

        Assert.Equal("approved", approval.Status);
        Assert.False(approval.IsPending);
        Assert.Equal("exe_1", approval.Execution?.Id);
        var request = Assert.Single(Server.Received);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/approvals/apr_1%2F..%2Fx", request.PathAndQuery);
        Assert.Null(request.Body);
        Assert.Equal($"Bearer {Fixtures.AgentKey}", request.Header("Authorization"));
    }

    [Fact]
    public async Task A_base_url_with_a_path_prefix_keeps_it()
    {
        Server.Reply(Fixtures.Json(Fixtures.Approval()));
        using var client = new PortcullisClient(new Uri(Server.Url, "/portcullis?ignored=1"), Fixtures.AgentKey);

        await client.GetApprovalAsync("apr_1");

        Assert.Equal("/portcullis/api/approvals/apr_1", Assert.Single(Server.Received).PathAndQuery);
    }

    [Fact]
    public void Construction_rejects_a_missing_key_a_bad_url_and_bad_options()
    {
        Assert.Throws<ArgumentException>(() => new PortcullisClient(new Uri("http://localhost"), ""));
        Assert.Throws<ArgumentException>(() => new PortcullisClient(new Uri("ftp://localhost"), Fixtures.AgentKey));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PortcullisClient(new Uri("http://localhost"), Fixtures.AgentKey, new() { MaxRetries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PortcullisClient(new Uri("http://localhost"), Fixtures.AgentKey, new() { Timeout = TimeSpan.Zero }));
        using var http = new HttpClient();
        Assert.Throws<ArgumentException>(() => new PortcullisClient(http, new PortcullisClientOptions { AgentKey = Fixtures.AgentKey }));
    }

    internal static void AssertJson(string expected, JsonElement? actual)
    {
        Assert.NotNull(actual);
        using var expectedDocument = JsonDocument.Parse(expected);
        Assert.True(
            JsonElement.DeepEquals(expectedDocument.RootElement, actual.Value),
            $"expected {expectedDocument.RootElement.GetRawText()}\n  actual {actual.Value.GetRawText()}");
    }
}
