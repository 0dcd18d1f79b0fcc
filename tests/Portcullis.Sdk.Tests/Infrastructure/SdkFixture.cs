using System.Net.Http.Headers;
using System.Text.Json;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>
/// One live server for every SDK test, and the TypeScript SDK and sample built. The tests share one
/// collection, so they run one at a time: a sample process each, on a machine with few cores.
/// </summary>
public sealed class SdkFixture : IAsyncLifetime
{
    public static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(120);

    public LiveServer Server { get; } = new();

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>The workspace owner's management API client (personal access token).</summary>
    public Management Owner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server.Start();
        Owner = new Management(WithBearer(LiveServer.OwnerToken));
        await TypeScriptBuild.EnsureBuiltAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();

    /// <summary>A client of the live server, with a bearer token unless <paramref name="token"/> is null.</summary>
    public HttpClient WithBearer(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(90) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A new member with the approver role, calling with a personal access token of theirs.</summary>
    public async Task<Management> NewApproverAsync()
    {
        var email = $"approver-{Guid.NewGuid():n}@sdk-tests.example";
        const string password = "sdk tests approver password";
        // Members join by invitation: the owner invites, the new user accepts with a name and password.
        var invitation = await Owner.SendAsync(HttpMethod.Post, "/api/workspace/members", new { email, role = "approver" });
        var login = await new Management(WithBearer(null)).SendAsync(HttpMethod.Post, "/api/invitations/accept",
            new { token = invitation.GetProperty("token").GetString(), name = "Approver", password });
        var token = await new Management(WithBearer(login.GetProperty("token").GetString())).SendAsync(
            HttpMethod.Post, "/api/auth/tokens", new { name = "sdk tests" });
        return new Management(WithBearer(token.GetProperty("token").GetString()));
    }

    /// <summary>Runs a sample to completion with the seeded agent's key (or <paramref name="agentKey"/>).</summary>
    public async Task<SampleResult> RunSampleAsync(SdkLanguage sdk, string ticketId, string? agentKey = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var sample = StartSample(sdk, ticketId, agentKey, environment);
        return await sample.WaitForExitAsync(SampleTimeout);
    }

    public SampleProcess StartSample(SdkLanguage sdk, string ticketId, string? agentKey = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["TICKET_ID"] = ticketId,
            ["REFUND_AMOUNT"] = "7999",
            ["APPROVAL_TIMEOUT_SECONDS"] = "60",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return SampleProcess.Start(sdk, BaseUrl, agentKey ?? LiveServer.AgentKey, variables);
    }

    /// <summary>A ticket id no other test uses, so a policy scoped to it decides only this test's runs.</summary>
    public static string NewTicket() => "TKT-" + Guid.NewGuid().ToString("n")[..10];

    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

[CollectionDefinition(Name)]
public sealed class SdkCollection : ICollectionFixture<SdkFixture>
{
    public const string Name = "sdk end-to-end";
}
