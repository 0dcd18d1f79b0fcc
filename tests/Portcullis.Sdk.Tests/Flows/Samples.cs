using System.Text.Json;
using Portcullis.Sdk.Tests.Infrastructure;

namespace Portcullis.Sdk.Tests.Flows;

/// <summary>The SDKs every flow runs with, and assertions on what a sample printed and logged.</summary>
public static class Samples
{
    public static TheoryData<SdkLanguage> All => new() { SdkLanguage.TypeScript, SdkLanguage.Python, SdkLanguage.DotNet };

    /// <summary>Asserts the exit code and the summary line; returns the run id.</summary>
    public static string AssertSummary(this SampleResult result, int exitCode, string decision, string finalStatus)
    {
        Assert.True(result.ExitCode == exitCode, $"the {result.SdkLanguage} sample exited with {result.ExitCode}, expected {exitCode}:\n{result.Output}");
        Assert.True(decision == result.SummaryString("decision"), $"decision: expected {decision}:\n{result.Output}");
        Assert.True(finalStatus == result.SummaryString("finalStatus"), $"finalStatus: expected {finalStatus}:\n{result.Output}");
        return result.SummaryString("runId") ?? throw new InvalidOperationException($"no runId in the summary:\n{result.Output}");
    }

    /// <summary>The policy decision on the timeline names the decision and the policy the test created.</summary>
    public static void AssertDecidedBy(this RunView run, string decision, string policyId)
    {
        var entry = run.Single("policy.decision", "system").Payload;
        Assert.Equal(decision, entry.GetProperty("decision").GetString());
        Assert.Contains(policyId, entry.GetProperty("matchedPolicies").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    /// <summary>
    /// The execution the agent logged is the one the server recorded: the SDK decoded it and sent it back
    /// with the wire's snake_case names.
    /// </summary>
    public static void AssertAgentLoggedTheExecution(this RunView run, string agentEvent, string systemEvent)
    {
        var recorded = run.Single(systemEvent, "system").Payload.GetProperty("execution");
        var logged = run.Single(agentEvent, "agent").Payload.GetProperty("execution");
        foreach (var name in new[] { "id", "status", "provider", "action_type" })
        {
            Assert.Equal(recorded.GetProperty(name).GetString(), logged.GetProperty(name).GetString());
        }

        Assert.Equal(recorded.GetProperty("simulated").GetBoolean(), logged.GetProperty("simulated").GetBoolean());
        if (recorded.GetProperty("response_payload") is { ValueKind: JsonValueKind.Object } payload)
        {
            Assert.Equal(payload.GetProperty("id").GetString(), logged.GetProperty("response_payload").GetProperty("id").GetString());
        }
    }

    public static void AssertEnded(this RunView run, string status)
    {
        Assert.Equal(status, run.Status);
        Assert.Equal(status, run.Single("run.ended", "system").Payload.GetProperty("status").GetString());
        Assert.Equal("run.ended", run.Timeline[^1].EventType);
    }
}
