using System.Text;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Execution;

/// <summary>
/// Every provider, every failure path: whatever the provider echoes back (the Authorization header, the
/// raw secrets, their URL-encoded form) must not reach the result, its error, or a request's ToString.
/// </summary>
public class SecretLeakTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        // MQTT is not HTTP and has no fake to echo secrets: MqttLiveTests check its refusals against a real broker.
        foreach (var provider in ActionCatalog.Providers.Where(p => p != "mqtt"))
        {
            foreach (var scenario in new[] { "echo-400", "echo-401", "echo-500", "echo-429", "echo-success", "timeout", "refused" })
            {
                data.Add(provider, scenario);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task No_secret_reaches_the_result(string provider, string scenario)
    {
        await using var fake = await FakeProvider.StartAsync(request => Answer(request, scenario));
        var baseUrl = scenario == "refused" ? ClosedPort() : fake.BaseUrl;
        var credential = CredentialFor(provider, baseUrl);
        using var runner = new ConnectorRunner(Client, Options(baseUrl, o => { o.Timeout = TimeSpan.FromMilliseconds(scenario == "timeout" ? 200 : 5000); o.MaxAttempts = 2; }), new FixedTime(),
            ScriptedRefresher.WithToken("refreshed-LEAKCHECK-access-token-0002"));

        var result = await runner.ExecuteLiveAsync(Request(ActionCatalog.ActionsOf(provider)[0], PayloadFor(provider), credential), default);
        var verified = await runner.VerifyAsync(credential, default);

        Assert.True(scenario == "echo-success" == result.Succeeded, result.Error?.Message);
        var secrets = SecretsOf(credential).Append("refreshed-LEAKCHECK-access-token-0002").ToList();
        var serialized = Serialize(result) + Serialize(verified) + result.Error?.ToString() + result;
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, serialized, StringComparison.Ordinal));
        Assert.DoesNotContain("LEAKCHECK", serialized, StringComparison.Ordinal);
        if (scenario.StartsWith("echo", StringComparison.Ordinal))
        {
            Assert.Contains("[redacted]", serialized, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Requests_and_credentials_print_without_secrets()
    {
        var credential = Credentials.Stripe();
        var request = Request("refund.create", """{"charge": "ch_1"}""", credential);

        Assert.DoesNotContain(Credentials.StripeKey, request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Credentials.StripeKey, credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("apiKey", credential.ToString(), StringComparison.Ordinal);
    }

    private static FakeResponse Answer(RecordedRequest request, string scenario)
    {
        var auth = request.Header("Authorization") ?? "";
        var parameter = auth.Contains(' ', StringComparison.Ordinal) ? auth[(auth.IndexOf(' ', StringComparison.Ordinal) + 1)..] : auth;
        var decoded = parameter.Length > 0 && auth.StartsWith("Basic", StringComparison.Ordinal) ? Encoding.UTF8.GetString(Convert.FromBase64String(parameter)) : "";
        var echo = $"you sent {auth} ({parameter}; {decoded}; {Uri.EscapeDataString(decoded)}) with body {request.BodyText}";
        var headers = new Dictionary<string, string>
        {
            ["Request-Id"] = auth,
            ["X-Slack-Req-Id"] = auth,
            ["Twilio-Request-Id"] = auth,
            ["X-Zendesk-Request-Id"] = auth,
            ["X-Request-Id"] = auth,
            ["X-Goog-Request-Id"] = auth,
        };
        // One body that every provider's error reader understands, each field quoting the credential back.
        object body = new
        {
            ok = scenario == "echo-success",
            error = new { type = "invalid_request_error", code = echo, message = echo, status = echo },
            message = echo,
            description = echo,
            category = echo,
            correlationId = echo,
            code = echo,
            status = "error",
            user = new { id = 1, email = echo, role = echo },
            emailAddress = echo,
            team = echo,
            friendly_name = echo,
        };
        return scenario switch
        {
            "echo-400" => FakeResponse.Json(400, body, headers),
            "echo-401" => FakeResponse.Json(401, body, headers),
            "echo-500" => FakeResponse.Json(500, body, headers),
            "echo-429" => FakeResponse.Json(429, body, new Dictionary<string, string>(headers) { ["Retry-After"] = "0" }),
            "echo-success" => FakeResponse.Json(200, body, headers),
            "timeout" => new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(5)),
            _ => new FakeResponse(200, "{}"),
        };
    }

    private static CredentialSecrets CredentialFor(string provider, Uri baseUrl) => provider switch
    {
        "stripe" => Credentials.Stripe(),
        "gmail" => Credentials.Gmail(),
        "hubspot" => Credentials.HubSpot(oauth: true),
        "zendesk" => Credentials.Zendesk(),
        "slack" => Credentials.Slack(),
        "twilio" => Credentials.Twilio(),
        "webhook" => Credentials.Webhook(baseUrl),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private static string PayloadFor(string provider) => provider switch
    {
        "stripe" => """{"charge": "ch_1", "amount": 100}""",
        "gmail" => """{"to": "a@example.com", "subject": "s", "text": "t"}""",
        "hubspot" => """{"objectType": "contacts", "properties": {"email": "a@example.com"}}""",
        "zendesk" => """{"ticketId": 1}""",
        "slack" => """{"channel": "C1", "text": "hi"}""",
        "twilio" => """{"to": "+14155550123", "body": "hi"}""",
        "webhook" => """{"path": "/x"}""",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private static IEnumerable<string> SecretsOf(CredentialSecrets credential)
    {
        foreach (var (key, value) in credential.Values)
        {
            if (key is not ("subdomain" or "email" or "baseUrl" or "fromNumber" or "accountSid" or "expiresAt"))
            {
                yield return value;
            }
        }

        if (credential.Provider == "zendesk")
        {
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Values["email"]}/token:{credential.Values["apiToken"]}"));
        }

        if (credential.Provider == "twilio")
        {
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Values["accountSid"]}:{credential.Values["authToken"]}"));
        }
    }
}
