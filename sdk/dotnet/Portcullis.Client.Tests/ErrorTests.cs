namespace Portcullis.Client.Tests;

public sealed class ErrorTests : ClientTestBase
{
    private async Task<PortcullisException> FailureAsync() =>
        await Assert.ThrowsAsync<PortcullisException>(() => Client.GetApprovalAsync("apr_1"));

    [Fact]
    public async Task A_validation_problem_carries_code_message_request_id_and_field_errors()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(400, "validation_failed", "the request has 2 invalid fields", new()
        {
            ["requestId"] = "req_9",
            ["errors"] = new Dictionary<string, string[]> { ["payload.amount"] = ["must be a number"], ["runId"] = ["is required"] },
        }), 400));

        var error = await FailureAsync();

        Assert.Equal(400, error.Status);
        Assert.Equal("validation_failed", error.Code);
        Assert.Equal("the request has 2 invalid fields", error.Message);
        Assert.Equal("req_9", error.RequestId);
        Assert.Equal(["must be a number"], error.Errors["payload.amount"]);
        Assert.Equal(["is required"], error.Errors["runId"]);
        Assert.True(error.IsValidation);
        Assert.False(error.IsUnauthorized);
    }

    [Fact]
    public async Task A_401_is_unauthorized_and_IsRevoked_says_the_same()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(401, "unauthorized", "a valid API key is required"), 401));

        var error = await FailureAsync();

        Assert.True(error.IsUnauthorized);
        Assert.True(error.IsRevoked);
        Assert.False(error.IsRateLimited);
        Assert.Empty(error.Errors);
        Assert.DoesNotContain(Fixtures.AgentKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_402_is_billing_locked_with_the_recovery_summary_in_the_problem()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(402, "billing_locked", "billing is locked", new()
        {
            ["billing"] = new { state = "past_due", reason = "grace exceeded", recovery = "update the card" },
        }), 402));

        var error = await FailureAsync();

        Assert.True(error.IsBillingLocked);
        Assert.Equal("update the card", error.Problem?.GetProperty("billing").GetProperty("recovery").GetString());
    }

    [Fact]
    public async Task A_409_is_a_conflict()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(409, "already_decided", "the approval is no longer pending"), 409));

        var error = await FailureAsync();

        Assert.True(error.IsConflict);
        Assert.Equal("already_decided", error.Code);
    }

    [Fact]
    public async Task The_request_id_comes_from_X_Request_Id_when_the_body_has_none()
    {
        Server.Reply(new Reply
        {
            Status = 404,
            Json = Fixtures.Problem(404, "not_found", "no such approval"),
            Headers = new Dictionary<string, string> { ["X-Request-Id"] = "req_h" },
        });

        var error = await FailureAsync();

        Assert.Equal("req_h", error.RequestId);
        Assert.Equal("not_found", error.Code);
    }

    [Fact]
    public async Task A_body_that_is_not_problem_json_still_gives_status_message_and_request_id()
    {
        Server.Reply(new Reply { Status = 413, Text = "<html>too large</html>", Headers = new Dictionary<string, string> { ["X-Request-Id"] = "req_p" } });

        var error = await FailureAsync();

        Assert.Equal(413, error.Status);
        Assert.Null(error.Code);
        Assert.Equal("<html>too large</html>", error.Message);
        Assert.Equal("req_p", error.RequestId);
        Assert.Null(error.Problem);
    }

    [Fact]
    public async Task A_2xx_body_that_is_not_json_is_an_error_never_a_result()
    {
        Server.Reply(new Reply { Status = 200, Text = "<html>portal</html>", Headers = new Dictionary<string, string> { ["X-Request-Id"] = "req_j" } });

        var error = await FailureAsync();

        Assert.Equal(200, error.Status);
        Assert.Equal("invalid_response", error.Code);
        Assert.Equal("req_j", error.RequestId);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_body_goes_nowhere_else()
    {
        Server.Reply(new Reply { Status = 307, Headers = new Dictionary<string, string> { ["Location"] = "http://127.0.0.1:9/elsewhere" } });

        var error = await FailureAsync();

        Assert.Equal(307, error.Status);
        Assert.Single(Server.Received);
    }
}
