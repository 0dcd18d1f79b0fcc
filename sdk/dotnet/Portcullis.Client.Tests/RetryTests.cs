using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Client.Tests;

public sealed class RetryTests : ClientTestBase
{
    private static readonly Reply Approved = Fixtures.Json(Fixtures.Approval("approved"));
    private static readonly Reply Slow = Approved with { Delay = TimeSpan.FromSeconds(2) };
    private static readonly ActionRequest Refund = new() { RunId = "run_1", ActionType = "refund.create", Payload = new { amount = 1 } };

    private static Reply RateLimited(string retryAfter) => new()
    {
        Status = 429,
        Json = Fixtures.Problem(429, "rate_limited", "slow down"),
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter },
    };

    [Fact]
    public async Task A_5xx_on_a_read_is_retried_until_it_succeeds()
    {
        Server.Reply(Fixtures.Unavailable, Fixtures.Unavailable, Approved);

        Assert.Equal("approved", (await Client.GetApprovalAsync("apr_1")).Status);
        Assert.Equal(3, Server.Received.Count);
    }

    [Fact]
    public async Task After_MaxRetries_the_last_error_is_thrown()
    {
        Server.Reply(Fixtures.Unavailable, Fixtures.Unavailable, Fixtures.Unavailable, Approved);

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.GetApprovalAsync("apr_1"));

        Assert.Equal(503, error.Status);
        Assert.Equal(3, Server.Received.Count);
    }

    [Fact]
    public async Task MaxRetries_zero_sends_once()
    {
        using var once = new PortcullisClient(Server.Url, Fixtures.AgentKey, new() { MaxRetries = 0 });
        Server.Reply(Fixtures.Unavailable, Approved);

        await Assert.ThrowsAsync<PortcullisException>(() => once.GetApprovalAsync("apr_1"));
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task Without_Retry_After_the_client_backs_off()
    {
        Server.Reply(new Reply { Status = 502, Text = "bad gateway" }, Approved);
        var clock = Stopwatch.StartNew();

        await Client.GetApprovalAsync("apr_1");

        // The first backoff is 250 to 500 ms.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(240), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_with_the_same_body()
    {
        Server.Reply(RateLimited("1"), Fixtures.Json(new { accepted = 1, duplicates = 0 }));
        var clock = Stopwatch.StartNew();

        await Client.LogEventsAsync("run_1", [new RunEvent("x", 2)]);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(990), $"retried after {clock.Elapsed}");
        Assert.Equal(Server.Received[0].Body!.Value.GetRawText(), Server.Received[1].Body!.Value.GetRawText());
    }

    [Fact]
    public async Task A_Retry_After_over_a_minute_is_not_waited_out_but_given_to_the_caller()
    {
        Server.Reply(RateLimited("120"), Approved);

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.GetApprovalAsync("apr_1"));

        Assert.True(error.IsRateLimited);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task A_4xx_other_than_429_is_never_retried()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(409, "conflict", "sequence 2 has other content"), 409), Approved);

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.LogEventsAsync("run_1", [new RunEvent("x", 2)]));

        Assert.True(error.IsConflict);
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task A_time_out_on_a_read_is_retried_then_thrown_as_a_timeout()
    {
        using var client = ShortTimeoutClient();
        Server.Reply(Slow, Slow, Slow);

        await Assert.ThrowsAsync<PortcullisTimeoutException>(() => client.GetApprovalAsync("apr_1"));
        Assert.Equal(3, Server.Received.Count);
    }

    [Fact]
    public async Task A_dropped_connection_on_a_read_is_retried()
    {
        Server.Reply(new Reply { Reset = true }, Approved);

        Assert.Equal("approved", (await Client.GetApprovalAsync("apr_1")).Status);
        Assert.Equal(2, Server.Received.Count);
    }

    [Fact]
    public async Task RequestAction_retries_with_the_same_idempotency_key_in_header_and_body()
    {
        Server.Reply(Fixtures.Unavailable, new Reply { Reset = true }, Fixtures.Json(Fixtures.ActionAnswer("block")));

        Assert.IsType<Blocked>(await Client.RequestActionAsync(Refund));

        Assert.Equal(3, Server.Received.Count);
        var key = Server.Received[0].Header("Idempotency-Key");
        Assert.NotNull(key);
        Assert.All(Server.Received, request =>
        {
            Assert.Equal(key, request.Header("Idempotency-Key"));
            Assert.Equal(key, request.Body!.Value.GetProperty("idempotencyKey").GetString());
        });
    }

    [Fact]
    public async Task StartRun_is_not_retried_once_the_request_may_have_reached_the_server()
    {
        var request = new StartRunRequest { TriggerType = "t" };
        Server.Reply(Fixtures.Unavailable);
        Assert.Equal(503, (await Assert.ThrowsAsync<PortcullisException>(() => Client.StartRunAsync(request))).Status);
        Server.Reply(new Reply { Reset = true });
        await Assert.ThrowsAsync<PortcullisConnectionException>(() => Client.StartRunAsync(request));
        Server.Reply(Slow);
        using var impatient = ShortTimeoutClient();
        await Assert.ThrowsAsync<PortcullisTimeoutException>(() => impatient.StartRunAsync(request));

        Assert.Equal(3, Server.Received.Count);
    }

    [Fact]
    public async Task StartRun_is_retried_on_a_429_which_the_server_refuses_before_doing_anything()
    {
        Server.Reply(RateLimited("0"), Fixtures.Json(new { runId = "run_1", status = "running" }, 201));

        Assert.Equal("run_1", (await Client.StartRunAsync(new StartRunRequest { TriggerType = "t" })).RunId);
        Assert.Equal(2, Server.Received.Count);
    }

    [Fact]
    public async Task StartRun_is_retried_when_the_connection_is_refused()
    {
        var counter = new CountingHandler();
        using var http = new HttpClient(counter);
        var client = new PortcullisClient(http, new PortcullisClientOptions { BaseUrl = ClosedPortUrl(), AgentKey = Fixtures.AgentKey });

        var error = await Assert.ThrowsAsync<PortcullisConnectionException>(() => client.StartRunAsync(new StartRunRequest { TriggerType = "t" }));

        Assert.IsNotType<PortcullisTimeoutException>(error);
        Assert.Equal(3, counter.Sends);
    }

    [Fact]
    public async Task EndRun_is_retried_and_a_409_run_ended_after_a_lost_answer_is_thrown_as_a_conflict()
    {
        Server.Reply(Fixtures.Unavailable, Fixtures.Json(Fixtures.Run()));
        Assert.Equal("completed", (await Client.EndRunAsync("run_1", RunEndStatus.Completed)).Status);

        Server.Reply(new Reply { Reset = true }, Fixtures.Json(Fixtures.Problem(409, "run_ended", "the run has ended"), 409));
        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.EndRunAsync("run_1", RunEndStatus.Completed));

        Assert.Equal("run_ended", error.Code);
        Assert.Equal(4, Server.Received.Count);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_between_retries_at_once()
    {
        Server.Reply(Fixtures.Unavailable with { Headers = new Dictionary<string, string> { ["Retry-After"] = "30" } });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetApprovalAsync("apr_1", cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    private static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Sends { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sends++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
