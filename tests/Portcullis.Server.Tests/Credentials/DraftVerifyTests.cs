using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Credentials;

/// <summary><c>POST /api/credentials/verify</c>: the Connect dialog's Verify Connection, before anything is saved.</summary>
public abstract class DraftVerifyTests(LiveStripeServer server)
{
    [Fact]
    public async Task A_good_draft_key_is_verified_against_stripe_and_nothing_is_stored()
    {
        var ws = await LiveAsync();
        var before = server.Stripe.Requests.Count(r => r.Authorization == $"Bearer {FakeStripe.GoodKey}" && r.Path == "/v1/balance");

        var response = await ws.Owner().PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = FakeStripe.GoodKey } });

        await response.AssertStatus(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var verify = await response.Json();
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.False(verify.GetProperty("simulated").GetBoolean());
        Assert.Equal(200, verify.GetProperty("providerStatus").GetInt32());
        Assert.Equal(before + 1, server.Stripe.Requests.Count(r => r.Authorization == $"Bearer {FakeStripe.GoodKey}" && r.Path == "/v1/balance"));
        Assert.DoesNotContain(FakeStripe.GoodKey, text);
        Assert.Equal(0, (await (await ws.Owner().GetAsync("/api/credentials")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task A_wrong_draft_key_is_a_failed_verification_that_never_echoes_the_key()
    {
        const string wrong = "sk_test_DraftWrongKeyNeverEchoed77";
        var ws = await LiveAsync();

        var response = await ws.Owner().PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = wrong } });

        await response.AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain("DraftWrongKeyNeverEchoed", await response.Content.ReadAsStringAsync());
        var verify = await response.Json();
        Assert.False(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(401, verify.GetProperty("providerStatus").GetInt32());
        Assert.Contains(server.Stripe.Requests, r => r.Authorization == $"Bearer {wrong}");
        Assert.Equal(0, (await (await ws.Owner().GetAsync("/api/credentials")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task A_draft_key_of_the_wrong_shape_is_a_field_error_and_never_sent()
    {
        var ws = await LiveAsync();
        var sent = server.Stripe.Requests.Count;

        var response = await ws.Owner().PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = "hello-draft" } });

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["must be a Stripe secret key (`sk_…`) or restricted key (`rk_…`)"],
            problem.GetProperty("errors").GetProperty("secrets.apiKey").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("hello-draft", problem.GetRawText());
        Assert.Equal(sent, server.Stripe.Requests.Count);
    }

    [Fact]
    public async Task Missing_unknown_and_oauth_only_providers_and_unknown_fields_are_field_errors()
    {
        var ws = await LiveAsync();
        var owner = ws.Owner();

        var missing = await (await owner.PostJson("/api/credentials/verify", new { })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(missing.GetProperty("errors").TryGetProperty("provider", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("secrets", out _));
        await (await owner.PostJson("/api/credentials/verify", new { provider = "nope", secrets = new { } })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var gmail = await (await owner.PostJson("/api/credentials/verify", new { provider = "gmail", secrets = new { } })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("connects through OAuth", gmail.GetProperty("errors").GetProperty("provider")[0].GetString(), StringComparison.Ordinal);
        var extra = await (await owner.PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = FakeStripe.GoodKey, token = "x" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(extra.GetProperty("errors").TryGetProperty("secrets.token", out _));
    }

    [Fact]
    public async Task A_draft_webhook_to_a_metadata_address_is_refused_by_the_outbound_guard()
    {
        var ws = await LiveAsync();
        var response = await ws.Owner().PostJson("/api/credentials/verify", new { provider = "webhook", secrets = new { baseUrl = "http://169.254.169.254/latest" } });
        await response.AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
    }

    [Fact]
    public async Task In_demo_mode_a_draft_is_only_simulated()
    {
        var ws = await server.NewWorkspaceAsync();
        var sent = server.Stripe.Requests.Count;

        var verify = await (await ws.Owner().PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = "sk_test_DemoDraftNeverSent01" } })).Json();

        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.True(verify.GetProperty("simulated").GetBoolean());
        Assert.StartsWith("demo mode (simulated, nothing sent to Stripe)", verify.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(sent, server.Stripe.Requests.Count);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("approver")]
    public async Task Only_admins_may_verify_a_draft(string role)
    {
        var ws = await LiveAsync();
        var member = server.WithBearer(await ws.MemberTokenAsync(role));
        var sent = server.Stripe.Requests.Count;
        var response = await member.PostJson("/api/credentials/verify", new { provider = "stripe", secrets = new { apiKey = FakeStripe.GoodKey } });
        await response.AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(sent, server.Stripe.Requests.Count);
    }

    private async Task<TestWorkspace> LiveAsync()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        return ws;
    }
}

public sealed class DraftVerifySqliteTests(LiveStripeSqliteServer s) : DraftVerifyTests(s), IClassFixture<LiveStripeSqliteServer>;

public sealed class DraftVerifyPostgresTests(LiveStripePostgresServer s) : DraftVerifyTests(s), IClassFixture<LiveStripePostgresServer>;
