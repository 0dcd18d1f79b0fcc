using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// The direct path for plain 2026-07-28 <c>tools/call</c> requests answers exactly what the SDK's pipeline answers: the same
/// requests, sent to this server and to one with <c>Portcullis:Mcp:DirectToolCalls=false</c>, get the same status and
/// body once the ids and times each store makes up are masked. Requests the direct path does not take reach the SDK.
/// </summary>
public sealed partial class McpDirectCallTests(McpDirectCallTests.DirectServer direct, McpDirectCallTests.SdkOnlyServer sdk)
    : IClassFixture<McpDirectCallTests.DirectServer>, IClassFixture<McpDirectCallTests.SdkOnlyServer>
{
    private const string Envelope =
        "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}";

    // Real sockets, so how an answer was framed (one length, or chunks after the SDK's flush) shows which path wrote it.
    public sealed class DirectServer() : ServerFixture(StorageProvider.Sqlite)
    {
        protected override bool RealPort => true;
    }

    public sealed class SdkOnlyServer() : ServerFixture(StorageProvider.Sqlite)
    {
        protected override bool RealPort => true;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portcullis:Mcp:DirectToolCalls"] = "false" };
    }

    public static TheoryData<string, string, string> Calls => new()
    {
        // name, id, params after the name ({0} is the envelope, {1} the run)
        { "executed", "7", """ "arguments":{"charge":"ch_1","amount":100},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"{1}"} """ },
        { "blocked", "\"s-8\"", """ "arguments":{"charge":"ch_1","amount":200000},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"{1}"} """ },
        { "approval", "9", """ "arguments":{"charge":"ch_1","amount":9000},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"{1}"} """ },
        { "approval task", "10", """ "arguments":{"charge":"ch_1","amount":9000},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}},"portcullis/runId":"{1}"} """ },
        { "invalid", "11", """ "arguments":{"amount":"lots"},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/evidence":"no"} """ },
        { "no arguments, client's run", "12", """ "_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{}} """ },
        { "idempotent replay", "13", """ "arguments":{"charge":"ch_2","amount":100},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"{1}","portcullis/idempotencyKey":"k1"} """ },
        // Not the direct path's: a duplicate key, a name that does not match Mcp-Name, no client capabilities, a progress token.
        { "duplicate key", "14", """ "arguments":{"charge":"ch_1","charge":"ch_2","amount":100},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"{1}"} """ },
        { "no capabilities", "15", """ "arguments":{"charge":"ch_1","amount":100},"_meta":{{0},"portcullis/runId":"{1}"} """ },
        { "progress token", "16", """ "arguments":{"charge":"ch_1","amount":100},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{},"progressToken":"p1","portcullis/runId":"{1}"} """ },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_call_is_answered_as_the_SDK_answers_it(string what, string id, string parameters)
    {
        var direct1 = await SendAsync(direct, "refund.create", id, parameters);
        var sdk1 = await SendAsync(sdk, "refund.create", id, parameters);

        Assert.Equal(sdk1.Status, direct1.Status);
        Assert.Equal(Mask(sdk1.Body), Mask(direct1.Body));
        Assert.Equal(sdk1.ContentType, direct1.ContentType);
        Assert.True(direct1.Body.Length > 0, what);
    }

    [Fact]
    public async Task Unknown_tools_the_wait_tool_and_a_mismatched_name_are_answered_as_the_SDK_answers_them()
    {
        var plain = """ "arguments":{"approvalId":"apr_nope"},"_meta":{{0},"io.modelcontextprotocol/clientCapabilities":{}} """;
        foreach (var (name, header) in new[] { ("nope.tool", "nope.tool"), ("portcullis_wait_for_approval", "portcullis_wait_for_approval"), ("refund.create", "refund.refund") })
        {
            var fromDirect = await SendAsync(direct, name, "\"x\"", plain, header);
            var fromSdk = await SendAsync(sdk, name, "\"x\"", plain, header);
            Assert.Equal(fromSdk.Status, fromDirect.Status);
            Assert.Equal(Mask(fromSdk.Body), Mask(fromDirect.Body));
        }
    }

    [Fact]
    public async Task A_plain_call_leaves_in_one_response_with_its_length_and_the_SDK_client_takes_that_path()
    {
        var executed = (string)Calls.First(c => (string)c[0] == "executed")[2];
        Assert.False((await SendAsync(direct, "refund.create", "1", executed)).Chunked, "a plain call");
        Assert.True((await SendAsync(sdk, "refund.create", "1", executed)).Chunked, "with the direct path off");
        var duplicate = (string)Calls.First(c => (string)c[0] == "duplicate key")[2];
        Assert.True((await SendAsync(direct, "refund.create", "1", duplicate)).Chunked, "a duplicate key");

        // The C# SDK's own client (2026-07-28) sends nothing that sends it off the direct path.
        var ws = await direct.NewWorkspaceAsync();
        var chunked = new List<bool>();
        var http = new HttpClient(new ToolCallFraming(chunked) { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri(direct.BaseUrl) };
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {ws.AgentKey}" },
        }, http, ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "tests", Version = "1" } });
        var call = await client.CallAsync("charge.retrieve", new { chargeId = "ch_1" });
        Assert.False(call.IsError);
        Assert.False(Assert.Single(chunked), "the C# SDK client's call");
    }

    private static async Task<(HttpStatusCode Status, string Body, string? ContentType, bool Chunked)> SendAsync(
        ServerFixture server, string name, string id, string parameters, string? nameHeader = null)
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 100000", "block", "too big");
        await ApprovalSteps.RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        var runId = await ws.StartRunAsync();
        var fields = parameters.Trim().Replace("{0}", Envelope, StringComparison.Ordinal).Replace("{1}", runId, StringComparison.Ordinal);
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":\"{name}\",{fields}}}}}";
        var answer = await PostAsync(server, ws.AgentKey, nameHeader ?? name, body);
        if (body.Contains("idempotencyKey", StringComparison.Ordinal))
        {
            answer = await PostAsync(server, ws.AgentKey, nameHeader ?? name, body);
        }

        return answer;
    }

    private static async Task<(HttpStatusCode, string, string?, bool)> PostAsync(ServerFixture server, string agentKey, string nameHeader, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", nameHeader);
        using var response = await server.WithBearer(agentKey).SendAsync(request);
        var chunked = response.Headers.TransferEncodingChunked == true;
        var text = (await response.Content.ReadAsStringAsync()).Replace(server.BaseUrl, "{base}", StringComparison.Ordinal);
        return (response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, chunked);
    }

    // Each store makes up its own ids, times and simulated provider ids; everything else must match.
    private static string Mask(string body) =>
        Hex().Replace(Times().Replace(Ids().Replace(Created().Replace(body, "created:0"), "$1_*"), "T"), "h");

    [GeneratedRegex("[0-9a-f]{20,}")]
    private static partial Regex Hex();

    [GeneratedRegex(@"([a-z]{2,4})_[0-9A-Za-z]{10,}")]
    private static partial Regex Ids();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT[\d:.]+Z")]
    private static partial Regex Times();

    [GeneratedRegex(@"(""|\\u0022)created(""|\\u0022):\d+")]
    private static partial Regex Created();

    // Records whether each tools/call answer the client reads came in chunks.
    private sealed class ToolCallFraming(List<bool> chunked) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Headers.TryGetValues("Mcp-Method", out var method) && method.Single() == "tools/call")
            {
                chunked.Add(response.Headers.TransferEncodingChunked == true);
            }

            return response;
        }
    }
}
