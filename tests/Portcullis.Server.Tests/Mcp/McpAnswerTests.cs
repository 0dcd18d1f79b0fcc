using System.Net;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// The shape of an executed <c>tools/call</c> answer on the wire, as a 2026-07-28 client sends it (one stateless POST):
/// the execution's payload as <c>structuredContent</c> and as text, the REST answer in <c>_meta</c>, and an API's headers.
/// </summary>
public abstract class McpAnswerTests(ServerFixture server)
{
    [Fact]
    public async Task An_executed_call_answers_the_payload_twice_and_the_REST_answer_in_meta()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var response = await PostCallAsync(ws.AgentKey, runId);
        await response.AssertStatus(HttpStatusCode.OK);
        var result = (await ResultAsync(response)).GetProperty("result");

        var structured = result.GetProperty("structuredContent");
        Assert.StartsWith("re_", structured.GetProperty("id").GetString());
        var text = Assert.Single(result.GetProperty("content").EnumerateArray()).GetProperty("text").GetString()!;
        Assert.True(JsonElement.DeepEquals(structured, JsonDocument.Parse(text).RootElement), text);
        var answer = result.GetProperty("_meta").GetProperty("portcullis/answer");
        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.StartsWith("act_", answer.GetProperty("actionRequestId").GetString());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("matchedPolicies").ValueKind);
        Assert.True(JsonElement.DeepEquals(structured, answer.GetProperty("execution").GetProperty("response_payload")));
        Assert.Equal(runId, result.GetProperty("_meta").GetProperty("portcullis/runId").GetString());
    }

    [Fact]
    public async Task The_mcp_endpoint_answers_without_the_dashboard_pages_headers()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var response = await PostCallAsync(ws.AgentKey, runId);
        await response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    private Task<HttpResponseMessage> PostCallAsync(string agentKey, string runId)
    {
        var body = """
            {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"refund.create","arguments":{"charge":"ch_1","amount":100},
             "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},
             "io.modelcontextprotocol/clientCapabilities":{},"portcullis/runId":"RUN"}}}
            """.Replace("RUN", runId, StringComparison.Ordinal);
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", "refund.create");
        return server.WithBearer(agentKey).SendAsync(request);
    }

    // The answer is one SSE event: its data line is the JSON-RPC response.
    private static async Task<JsonElement> ResultAsync(HttpResponseMessage response)
    {
        var data = (await response.Content.ReadAsStringAsync()).Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal));
        return JsonDocument.Parse(data["data: ".Length..]).RootElement.Clone();
    }
}

public sealed class McpAnswerSqliteTests(SqliteServer s) : McpAnswerTests(s), IClassFixture<SqliteServer>;

public sealed class McpAnswerPostgresTests(PostgresServer s) : McpAnswerTests(s), IClassFixture<PostgresServer>;
