namespace Portcullis.Client.Tests;

public sealed class ActionResultTests : ClientTestBase
{
    private static readonly ActionRequest Refund = new() { RunId = "run_1", ActionType = "refund.create", Payload = new { amount = 7999 } };

    [Theory]
    [InlineData("allow", "executed re_1")]
    [InlineData("allow_with_alert", "executed re_1 (alerted)")]
    [InlineData("require_approval", "pending apr_1")]
    [InlineData("block", "blocked: because")]
    public async Task Each_decision_maps_to_its_record_for_a_switch(string decision, string expected)
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer(decision, new()
        {
            ["execution"] = decision.StartsWith("allow", StringComparison.Ordinal) ? Fixtures.Execution() : null,
            ["approvalRequestId"] = decision == "require_approval" ? "apr_1" : null,
        })));

        var result = await Client.RequestActionAsync(Refund);

        Assert.Equal(decision, result.Decision);
        Assert.Equal("act_1", result.ActionRequestId);
        Assert.Equal("pol_1", Assert.Single(result.MatchedPolicies).Id);
        Assert.Equal(expected, Describe(result));
    }

    [Fact]
    public async Task The_execution_maps_its_snake_case_fields()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("allow", new() { ["execution"] = Fixtures.Execution("failed", Fixtures.CardDeclined()) })));

        var allowed = Assert.IsType<Allowed>(await Client.RequestActionAsync(Refund));

        var execution = Assert.IsType<Execution>(allowed.Execution);
        Assert.Equal("failed", execution.Status);
        Assert.False(execution.Succeeded);
        Assert.Equal("refund.create", execution.ActionType);
        Assert.Equal("stripe", execution.Provider);
        Assert.Equal(1, execution.Attempts);
        Assert.True(execution.Simulated);
        Assert.Equal(new ExecutionError { Code = "card_declined", Message = "Your card was declined.", ProviderStatus = 402, ProviderRequestId = "req_1" }, execution.Error);
        Assert.NotNull(execution.StartedAt);
        Assert.NotNull(execution.CompletedAt);
        Assert.Equal(7999, execution.ResponsePayload.GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task A_failed_execution_without_a_provider_answer_has_only_a_code_and_message()
    {
        var error = new Dictionary<string, object?>
        {
            ["code"] = "connector_not_connected",
            ["message"] = "no stripe credential is linked to this agent",
            ["provider_status"] = null,
            ["provider_request_id"] = null,
        };
        var execution = Fixtures.Execution("failed", error);
        execution["response_payload"] = null;
        execution["attempts"] = 0;
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("allow_with_alert", new() { ["execution"] = execution })));

        var allowed = Assert.IsType<Allowed>(await Client.RequestActionAsync(Refund));

        Assert.True(allowed.WithAlert);
        Assert.Equal("connector failed: connector_not_connected: no stripe credential is linked to this agent", Describe(allowed));
        Assert.Null(allowed.Execution!.Error!.ProviderStatus);
        Assert.Null(allowed.Execution.Error.ProviderRequestId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, allowed.Execution.ResponsePayload.ValueKind);
    }

    [Fact]
    public async Task A_matched_policy_without_a_reason_keeps_its_priority()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("block", new()
        {
            ["matchedPolicies"] = new[] { new { id = "pol_9", name = "no refunds", decision = "block", reason = (string?)null, priority = 7 } },
        })));

        var blocked = Assert.IsType<Blocked>(await Client.RequestActionAsync(Refund));

        Assert.Equal(new MatchedPolicy("pol_9", "no refunds", "block", null, 7), Assert.Single(blocked.MatchedPolicies));
    }

    [Fact]
    public async Task The_policy_revision_that_decided_is_kept()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("block", new() { ["policyRevision"] = 12 })));

        var blocked = Assert.IsType<Blocked>(await Client.RequestActionAsync(Refund));

        Assert.Equal(12, blocked.PolicyRevision);
    }

    [Fact]
    public async Task A_custom_action_type_is_allowed_without_an_execution()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("allow")));

        var allowed = Assert.IsType<Allowed>(await Client.RequestActionAsync(Refund with { ActionType = "custom.thing" }));

        Assert.Null(allowed.Execution);
        Assert.False(allowed.WithAlert);
    }

    [Fact]
    public async Task An_unknown_decision_is_an_error_never_a_permission()
    {
        Server.Reply(Fixtures.Json(Fixtures.ActionAnswer("allow_sometimes")));

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.RequestActionAsync(Refund));

        Assert.Equal("invalid_response", error.Code);
        Assert.Contains("allow_sometimes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The spec's four-way switch, in C#.</summary>
    private static string Describe(ActionResult result) => result switch
    {
        Allowed { Execution: { Succeeded: true } execution } allowed =>
            $"executed {execution.ResponsePayload.GetProperty("id").GetString()}{(allowed.WithAlert ? " (alerted)" : "")}",
        Allowed { Execution: { Error: { } error } } => $"connector failed: {error.Code}: {error.Message}",
        Allowed => "allowed, not dispatched",
        ApprovalRequired pending => $"pending {pending.ApprovalRequestId}",
        Blocked blocked => $"blocked: {blocked.Reason}",
        _ => throw new InvalidOperationException("ActionResult has exactly three kinds"),
    };
}
