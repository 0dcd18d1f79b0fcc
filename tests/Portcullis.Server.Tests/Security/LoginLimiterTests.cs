using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Security;

/// <summary>Tight sign-in limits, one known proxy and HSTS on, so the probes of issue 13 run in a few requests.</summary>
public sealed class LimitedLoginServer() : ServerFixture(StorageProvider.Sqlite)
{
    public const string Proxy = "10.9.9.9";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:RateLimits:LoginAttemptsPerMinute"] = "5",
        ["Portcullis:RateLimits:LoginFailuresPerAccount"] = "3",
        ["Portcullis:Network:KnownProxies:0"] = Proxy,
        ["Portcullis:Security:HstsMaxAgeDays"] = "365",
    };
}

/// <summary>
/// The sign-in limiter counts failures per account and per client address (forwarded by a known proxy); page views and
/// successful sign-ins never count; a locked account answers like a wrong password, plus Retry-After; an address over its
/// limit gets 429 with Retry-After.
/// </summary>
public sealed class LoginLimiterTests(LimitedLoginServer server) : IClassFixture<LimitedLoginServer>
{
    private const string Password = "another secure password";

    [Fact]
    public async Task Viewing_the_sign_in_page_many_times_never_locks_anyone_out()
    {
        var email = await NewOwnerAsync();
        using var browser = server.Anonymous();
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.99, {LimitedLoginServer.Proxy}");
        for (var i = 0; i < 25; i++)
        {
            await (await browser.GetAsync("/login")).AssertStatus(HttpStatusCode.OK);
        }

        await (await LoginAsync(email, Password, "198.51.100.99")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Successful_sign_ins_never_count()
    {
        var email = await NewOwnerAsync();
        for (var i = 0; i < 12; i++)
        {
            await (await LoginAsync(email, Password, "198.51.100.1")).AssertStatus(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_account_with_too_many_failures_answers_like_a_wrong_password_with_retry_after_even_for_the_right_one()
    {
        var email = await NewOwnerAsync();
        var other = await NewOwnerAsync();
        for (var i = 0; i < 3; i++)
        {
            await (await LoginAsync(email, "wrong password", $"198.51.100.{10 + i}")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        }

        var locked = await LoginAsync(email, Password, "198.51.100.20");
        var body = await locked.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(AuthApi.WrongCredentialsDetail, body.GetProperty("detail").GetString());
        Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 15 * 60);
        await (await LoginAsync(other, Password, "198.51.100.20")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_address_with_too_many_failures_waits_while_other_addresses_behind_the_same_proxy_sign_in()
    {
        var email = await NewOwnerAsync();
        for (var i = 0; i < 5; i++)
        {
            await (await LoginAsync($"nobody-{i}@example.com", "guess", "203.0.113.9")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        }

        var waiting = await LoginAsync(email, Password, "203.0.113.9");
        await waiting.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(waiting.Headers.RetryAfter);
        await (await LoginAsync(email, Password, "203.0.113.10")).AssertStatus(HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password, string clientAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        // What the proxy appends: the client, then the proxy itself as the connection's peer.
        request.Headers.Add("X-Forwarded-For", $"{clientAddress}, {LimitedLoginServer.Proxy}");

        return await server.Anonymous().SendAsync(request);
    }

    private async Task<string> NewOwnerAsync()
    {
        var suffix = Guid.NewGuid().ToString("n")[..12];
        var email = $"owner-{suffix}@limits.example";
        var provisioner = server.Factory.Services.GetRequiredService<WorkspaceProvisioner>();
        await server.Factory.Services.GetRequiredService<Database>().WriteAsync((c, t) =>
            provisioner.CreateAsync(c, t, new WorkspaceProvisioner.Request($"ws-{suffix}", email, Password, "agent-one")));
        return email;
    }
}
