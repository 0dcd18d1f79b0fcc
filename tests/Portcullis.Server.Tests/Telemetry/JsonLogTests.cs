using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>The real executable with <c>Portcullis:Telemetry:LogFormat=json</c>: one JSON object a line, each carrying its trace id.</summary>
public sealed class JsonLogTests : IDisposable
{
    private const string AgentKey = "pk_live_JsonLogAgentKey00000000000000000000";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-jsonlog", Guid.NewGuid().ToString("n"));

    public JsonLogTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task A_request_logs_json_lines_that_carry_the_callers_trace_id()
    {
        var environment = new Dictionary<string, string>
        {
            ["Portcullis__Telemetry__LogFormat"] = "json",
            ["Logging__LogLevel__Portcullis.Server.Features.Actions"] = "Debug",
            ["Portcullis__Init__AgentKey"] = AgentKey,
            ["Portcullis__Init__AdminPassword"] = "json-log-admin-password-1",
        };
        await using var server = await PortcullisProcess.StartAsync(_directory, environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentKey);
        var runId = (await (await http.PostJson("/api/ingest/run-start", new { triggerType = "json-logs" })).Json()).GetProperty("runId").GetString()!;
        var traceId = ActivityTraceId.CreateRandom().ToString();
        http.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        await (await http.PostJson("/api/actions/request", new { runId, actionType = "custom.logged", payload = new { secretNote = "do-not-log-me" } }))
            .AssertStatus(HttpStatusCode.OK);

        var line = await WaitForLineAsync(server, "decided");
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Portcullis.Server.Features.Actions.ActionEngine", json.RootElement.GetProperty("Category").GetString());
        Assert.Equal("custom.logged", json.RootElement.GetProperty("State").GetProperty("ActionType").GetString());
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(),
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.DoesNotContain("do-not-log-me", server.Output);
    }

    private static async Task<string> WaitForLineAsync(PortcullisProcess server, string contains)
    {
        for (var i = 0; i < 100; i++)
        {
            var line = server.Output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith('{') && l.Contains(contains, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("no JSON log line containing `" + contains + "` in:\n" + server.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
