using System.Net;
using System.Net.Http.Json;
using Portcullis.Sdk.Tests.Infrastructure;

namespace Portcullis.Sdk.Tests.Flows;

/// <summary>An unknown key and a revoked key reach each SDK as its unauthorized error (isUnauthorized / IsUnauthorized / is_unauthorized).</summary>
[Collection(SdkCollection.Name)]
public sealed class AccessTests(SdkFixture fixture)
{
    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task An_unknown_key_is_reported_as_unauthorized(SdkLanguage sdk)
    {
        var result = await fixture.RunSampleAsync(sdk, SdkFixture.NewTicket(), agentKey: "pk_live_" + Guid.NewGuid().ToString("n") + "0000000000");

        AssertUnauthorized(result);
    }

    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task A_revoked_key_is_reported_as_unauthorized(SdkLanguage sdk)
    {
        var agentId = await fixture.Owner.AgentIdAsync();
        var (keyId, key) = await fixture.Owner.CreateKeyAsync(agentId);
        using (var agent = fixture.WithBearer(key))
        {
            var started = await agent.PostAsJsonAsync("/api/ingest/run-start", new { triggerType = "key-check" });
            Assert.Equal(HttpStatusCode.Created, started.StatusCode); // the key worked before it was revoked
        }

        await fixture.Owner.RevokeKeyAsync(agentId, keyId);
        var result = await fixture.RunSampleAsync(sdk, SdkFixture.NewTicket(), agentKey: key);

        AssertUnauthorized(result);
    }

    private static void AssertUnauthorized(SampleResult result)
    {
        Assert.True(result.ExitCode == 1, $"the {result.SdkLanguage} sample exited with {result.ExitCode}:\n{result.Output}");
        var error = result.Summary.GetProperty("error");
        Assert.Equal(401, error.GetProperty("status").GetInt32());
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("isUnauthorized").GetBoolean(), result.Output);
        Assert.Null(result.SummaryString("runId"));
        Assert.StartsWith("unauthorized: ", result.Lines[0], StringComparison.Ordinal);
    }
}
