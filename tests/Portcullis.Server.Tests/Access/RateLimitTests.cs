using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Access;

public sealed class TightRateLimitServer() : ServerFixture(StorageProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:RateLimits:AgentRequestsPerSecond"] = "1",
        ["Portcullis:RateLimits:AgentBurst"] = "3",
        ["Portcullis:RateLimits:LoginAttemptsPerMinute"] = "2",
    };
}

public sealed class RateLimitTests(TightRateLimitServer server) : IClassFixture<TightRateLimitServer>
{
    [Fact]
    public async Task An_agent_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await a.Agent().PostJson("/api/ingest/run-start", new { triggerType = "burst" }));
        }

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        await limited[0].AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        await (await b.Agent().PostJson("/api/ingest/run-start", new { triggerType = "calm" })).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Repeated_sign_in_attempts_are_limited()
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await server.Anonymous().PostJson("/api/auth/login", new { email = "x@example.com", password = "wrong wrong wrong" });
        }

        await last!.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }
}
