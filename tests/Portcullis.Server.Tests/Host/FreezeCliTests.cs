using System.Net;
using System.Net.Http.Headers;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary><c>portcullis agents freeze|unfreeze NAME</c> against a running server's database.</summary>
public sealed class FreezeCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portcullis-freeze-").FullName;

    [Fact]
    public async Task The_agents_command_freezes_an_agent_by_name_at_its_next_request_and_unfreezes_it()
    {
        var environment = new Dictionary<string, string>
        {
            ["Portcullis__Init__AgentName"] = "refund-bot",
            ["Portcullis__Init__AgentKey"] = "pk_live_FreezeCliAgentKey000000000000000000",
        };
        await using var server = await PortcullisProcess.StartAsync(_directory, environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", environment["Portcullis__Init__AgentKey"]);
        var runId = (await (await http.PostJson("/api/ingest/run-start", new { triggerType = "cli" })).Json()).GetProperty("runId").GetString()!;

        var (code, output) = await PortcullisProcess.RunAsync(_directory, "agents", "freeze", "refund-bot", "--reason", "stopped from the shell");
        Assert.True(code == 0, output);
        Assert.Equal(("block", "stopped from the shell"), await DecideAsync(http, runId));

        (code, output) = await PortcullisProcess.RunAsync(_directory, "agents", "unfreeze", "refund-bot");
        Assert.True(code == 0, output);
        Assert.Equal("allow", (await DecideAsync(http, runId)).Decision);

        (code, output) = await PortcullisProcess.RunAsync(_directory, "agents", "freeze", "no-such-bot");
        Assert.Equal(2, code);
        Assert.Contains("no agent named `no-such-bot`", output);
    }

    private static async Task<(string Decision, string Reason)> DecideAsync(HttpClient http, string runId)
    {
        var response = await http.PostJson("/api/actions/request", ActionBuilders.Refund(runId));
        await response.AssertStatus(HttpStatusCode.OK);
        var answer = await response.Json();
        return (answer.GetProperty("decision").GetString()!, answer.GetProperty("reason").GetString()!);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temporary directory is left behind.
        }
    }
}
