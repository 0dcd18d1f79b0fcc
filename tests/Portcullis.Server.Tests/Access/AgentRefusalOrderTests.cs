using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Access;

/// <summary>Small body limit and a tight per-key bucket (burst 2, then 1 a second), so every refusal is cheap to reach.</summary>
public sealed class RefusalOrderServer() : ServerFixture(StorageProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Limits:MaxBodyBytes"] = "4096",
        ["Portcullis:RateLimits:AgentRequestsPerSecond"] = "1",
        ["Portcullis:RateLimits:AgentBurst"] = "2",
    };
}

/// <summary>
/// An agent call is refused in a fixed order: 401 (key), 429 (the key's rate limit), 402 (billing lock), then the
/// body's 413 or 400; and the limit is per key, never per agent or workspace, and never on members.
/// </summary>
public sealed class AgentRefusalOrderTests(RefusalOrderServer server) : IClassFixture<RefusalOrderServer>
{
    private static readonly string Oversized = $$"""{"triggerType":"t","pad":"{{new string('x', 5000)}}"}""";

    [Fact]
    public async Task Without_a_valid_key_an_oversized_or_broken_body_is_a_401()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await server.Anonymous().PostRaw("/api/ingest/run-start", Oversized)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await server.WithBearer(ws.AgentKey + "x").PostRaw("/api/ingest/run-start", Oversized)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var keyInOversized = $$"""{"agentKey":"{{ws.AgentKey}}","pad":"{{new string('x', 5000)}}"}""";
        await (await server.Anonymous().PostRaw("/api/ingest/run-start", keyInOversized)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task With_a_valid_key_the_body_is_judged_413_then_400()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Agent().PostRaw("/api/ingest/run-start", Oversized)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await (await ws.Agent().PostRaw("/api/actions/request", "{broken")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task A_locked_workspace_is_a_402_before_its_body_is_judged_and_the_rate_limit_comes_first()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "cancelled" } })).AssertStatus(HttpStatusCode.OK);

        await (await ws.Agent().PostRaw("/api/ingest/events", "{broken")).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
        await (await ws.Agent().PostRaw("/api/ingest/run-start", Oversized)).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
        var limited = await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" });
        var problem = await limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        var seconds = problem.GetProperty("retryAfter").GetInt32();
        Assert.Equal(TimeSpan.FromSeconds(seconds), limited.Headers.RetryAfter?.Delta);
        Assert.InRange(seconds, 1, 2);
        Assert.Equal($"this API key is limited; retry after {seconds} s", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_action_request_in_a_locked_workspace_is_a_402_before_its_body_is_judged()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "cancelled" } })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostRaw("/api/actions/request", "{broken")).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
        // Ending a run is never locked, so its body is judged.
        await (await ws.Agent().PostRaw("/api/ingest/run-end", "[]")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Two_keys_of_one_agent_have_separate_buckets_that_refill()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await (await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/keys", new { name = "second" })).Json();
        var second = server.WithBearer(created.GetProperty("key").GetString()!);
        for (var i = 0; i < 2; i++)
        {
            await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
        }

        await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await second.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);

        // The bucket refills (one token a second here).
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await (await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Agents_reading_an_approval_are_limited_and_members_are_not()
    {
        var ws = await server.NewWorkspaceAsync();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await ws.Agent().GetAsync("/api/approvals/apr_unknown")).StatusCode);
            await (await ws.Owner().GetAsync("/api/approvals/apr_unknown")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        Assert.Equal(HttpStatusCode.NotFound, codes[0]);
    }
}
