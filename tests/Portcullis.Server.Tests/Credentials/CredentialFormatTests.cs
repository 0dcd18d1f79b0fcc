using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Credentials;

public sealed class CredentialFormatTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Theory]
    [InlineData("stripe", "apiKey", "hello", "must be a Stripe secret key (`sk_…`) or restricted key (`rk_…`)")]
    [InlineData("stripe", "apiKey", "pk_test_51Publishable", "is a publishable key (`pk_…`), which cannot call the API: paste a secret (`sk_…`) or restricted (`rk_…`) key")]
    [InlineData("twilio", "accountSid", "AC123", "must be a Twilio Account SID (`AC` followed by 32 hex digits)")]
    [InlineData("zendesk", "email", "ops-at-acme", "must be an email address")]
    public async Task A_credential_of_the_wrong_shape_is_a_field_error_when_connecting(string provider, string field, string value, string message)
    {
        var ws = await server.NewWorkspaceAsync();
        var secrets = new Dictionary<string, string>
        {
            ["apiKey"] = "sk_test_ok", ["accountSid"] = "AC0123456789abcdef0123456789abcdef", ["authToken"] = "tok", ["fromNumber"] = "+15005550006",
            ["subdomain"] = "acme", ["email"] = "ops@acme.example", ["apiToken"] = "zd_token",
        };
        var fields = Portcullis.Server.Features.Credentials.ProviderFields.ByProvider[provider].Required;
        var body = fields.ToDictionary(f => f, f => f == field ? value : secrets[f]);

        var response = await ws.Owner().PostJson("/api/credentials", new { provider, name = "typo", secrets = body });

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal([message], errors.GetProperty($"secrets.{field}").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(errors.EnumerateObject());
    }

    [Fact]
    public async Task Verify_connection_in_demo_mode_simulates_and_records_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await (await ws.Owner().PostJson("/api/credentials", new { provider = "stripe", name = "billing", secrets = new { apiKey = "sk_test_NeverSentAnywhere0001" } })).Json();
        var id = created.GetProperty("id").GetString()!;

        var verify = await (await ws.Owner().PostAsync($"/api/credentials/{id}/verify", null)).Json();

        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.True(verify.GetProperty("simulated").GetBoolean());
        Assert.StartsWith("demo mode (simulated, nothing sent to Stripe)", verify.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = await (await ws.Owner().GetAsync($"/api/credentials/{id}")).Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("verifyOk").ValueKind);
    }
}
