using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// Raw JSON-RPC over Streamable HTTP as a 2026-07-28 client sends it: one stateless POST per request with the standard
/// headers and the per-request <c>_meta</c> (protocol version, client info, capabilities), the tasks extension declared or not.
/// </summary>
public sealed class McpRaw(HttpClient http, bool declaresTasks)
{
    public const string TasksExtension = "io.modelcontextprotocol/tasks";

    private int _nextId;

    public static McpRaw For(ServerFixture server, string agentKey, bool declaresTasks) => new(server.WithBearer(agentKey), declaresTasks);

    /// <summary>The JSON-RPC answer: an object with <c>result</c> or <c>error</c>.</summary>
    public async Task<JsonElement> SendAsync(string method, string routingName, JsonObject parameters)
    {
        var extensions = new JsonObject();
        if (declaresTasks)
        {
            extensions[TasksExtension] = new JsonObject();
        }

        parameters["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw-tests", ["version"] = "1.0.0" },
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject { ["extensions"] = extensions },
        };
        var id = Interlocked.Increment(ref _nextId);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", method);
        request.Headers.Add("Mcp-Name", routingName);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        // Some JSON-RPC errors also set the HTTP status (the SDK answers -32021 with 400): the body is the answer either way.
        return Answer(text, id, response.Content.Headers.ContentType?.MediaType);
    }

    public Task<JsonElement> CallToolAsync(string name, object arguments) =>
        SendAsync("tools/call", name, new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.SerializeToNode(arguments) });

    public Task<JsonElement> TaskAsync(string method, string taskId) => SendAsync(method, taskId, new JsonObject { ["taskId"] = taskId });

    /// <summary>Polls <c>tasks/get</c> until the task leaves <c>working</c>.</summary>
    public async Task<JsonElement> UntilDoneAsync(string taskId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var task = Result(await TaskAsync("tasks/get", taskId));
            if (task.GetProperty("status").GetString() != "working" || DateTime.UtcNow > deadline)
            {
                return task;
            }

            await Task.Delay(100);
        }
    }

    public static JsonElement Result(JsonElement answer) =>
        answer.TryGetProperty("result", out var result) ? result : throw new InvalidOperationException($"an error answer: {answer}");

    public static JsonElement Error(JsonElement answer) =>
        answer.TryGetProperty("error", out var error) ? error : throw new InvalidOperationException($"not an error: {answer}");

    // An SSE answer carries the response as the data of one event; a JSON answer is the response itself.
    private static JsonElement Answer(string text, int id, string? mediaType)
    {
        var messages = mediaType == "text/event-stream"
            ? text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim())
            : [text];
        foreach (var message in messages)
        {
            var element = JsonDocument.Parse(message).RootElement.Clone();
            if (element.TryGetProperty("id", out var answerId) && answerId.ValueKind == JsonValueKind.Number && answerId.GetInt32() == id)
            {
                return element;
            }
        }

        throw new InvalidOperationException($"no answer to request {id} in: {text}");
    }
}
