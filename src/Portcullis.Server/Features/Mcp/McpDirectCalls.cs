// The SDK marks its extension points (alternate results) experimental: a call may answer a task.
#pragma warning disable MCPEXP002

using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The direct path for the commonest MCP request, a plain 2026-07-28 <c>tools/call</c> (<see cref="McpDirectRequest"/>):
/// answered by the same <see cref="McpToolCall"/> and written as the one SSE event the SDK writes for it, with the same
/// <c>resultType</c> and server identity, but without the SDK's per-request server, message loop, thread-pool hops and
/// node trees, and in one send (docs/benchmarks.md measured these at ~70 µs of a ~310 µs call). Every other request,
/// including every malformed or unusual one, goes to the SDK untouched, so the SDK stays the judge of the protocol's edges.
/// It runs as the <c>POST /mcp</c> endpoint itself, after authentication, the rate limit and the origin check.
/// </summary>
public sealed partial class McpDirectCalls(
    McpToolCall calls, IOptions<McpOptions> options, IOptions<McpServerOptions> server, IOptions<LimitsOptions> limits, ILogger<McpDirectCalls> log)
{
    private static readonly JsonSerializerOptions Json = McpJsonUtilities.DefaultOptions;
    private static readonly JsonTypeInfo ResultInfo = Json.GetTypeInfo(typeof(CallToolResult));

    private readonly JsonObject _serverInfo = JsonSerializer.SerializeToNode(server.Value.ServerInfo, Json.GetTypeInfo(typeof(Implementation)))!.AsObject();

    /// <summary>Puts the direct path in front of the SDK's <c>POST</c> endpoint of a <c>MapMcp</c> group.</summary>
    public static void Route(IEndpointConventionBuilder mcp) => mcp.Add(endpoint =>
    {
        if (endpoint.Metadata.OfType<HttpMethodMetadata>().Any(m => m.HttpMethods.Contains(HttpMethods.Post)) && endpoint.RequestDelegate is { } sdk)
        {
            endpoint.RequestDelegate = http => http.RequestServices.GetRequiredService<McpDirectCalls>().InvokeAsync(http, sdk);
        }
    });

    public async Task InvokeAsync(HttpContext http, RequestDelegate sdk)
    {
        if (!options.Value.DirectToolCalls || !McpDirectRequest.HeadersFit(http.Request, limits.Value.MaxBodyBytes))
        {
            await sdk(http);
            return;
        }

        var body = await ReadBodyAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        using var request = body is null ? null : McpDirectRequest.TryRead(body, http.Request.Headers["Mcp-Name"].ToString());
        if (request is null)
        {
            if (http.Request.Body.CanSeek)
            {
                http.Request.Body.Position = 0;
            }
            else
            {
                http.Request.Body = new MemoryStream(body!, writable: false);
            }

            await sdk(http);
            return;
        }

        var (status, answer) = await AnswerAsync(http, request);
        var response = http.Response;
        response.StatusCode = status;
        // The SDK's SSE headers, and a length: the event and the end of the body leave in one send.
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.ContentEncoding = "identity";
        response.Headers["X-Accel-Buffering"] = "no";
        response.ContentLength = answer.WrittenCount;
        await response.Body.WriteAsync(answer.WrittenMemory, http.RequestAborted);
    }

    // A body of known length is read as it is; one sent in chunks (the C# SDK's client does) is buffered so that, declined or
    // longer than the limit, it can be handed to the SDK from its start. Null: longer than the limit, rewound.
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } length)
        {
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, ct);
            return body;
        }

        request.EnableBuffering();
        using var copy = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > maxBytes)
                {
                    request.Body.Position = 0;
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return copy.ToArray();
    }

    private async Task<(int Status, ArrayBufferWriter<byte> Event)> AnswerAsync(HttpContext http, McpDirectRequest request)
    {
        var tasks = request.DeclaresTasks ? McpTaskMode.Approvals : McpTaskMode.None;
        var call = new McpCall(http, http.GetAgent(), request.Name, request.Arguments, request.Meta, request.Client, tasks);
        try
        {
            var answer = await calls.CallAsync(call, http.RequestAborted);
            return (StatusCodes.Status200OK, Event(request, w => WriteResult(w, answer)));
        }
        catch (McpProtocolException e)
        {
            return (StatusFor(e.ErrorCode), Event(request, w => WriteError(w, (int)e.ErrorCode, e.Message)));
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // As the SDK answers a handler's failure: the message of an MCP exception, nothing of any other.
            LogFailed(log, e, request.Name);
            var message = e is McpException ? e.Message : "An error occurred.";
            return (StatusCodes.Status200OK, Event(request, w => WriteError(w, (int)McpErrorCode.InternalError, message)));
        }
    }

    private void WriteResult(Utf8JsonWriter writer, ResultOrAlternate<CallToolResult> answer)
    {
        writer.WritePropertyName("result");
        if (answer.IsAlternate)
        {
            var alternate = JsonSerializer.SerializeToNode(answer.Alternate, answer.AlternateTypeInfo!)!.AsObject();
            AddServerInfo(alternate["_meta"] as JsonObject ?? (JsonObject)(alternate["_meta"] = new JsonObject()));
            alternate.WriteTo(writer, Json);
            return;
        }

        // What the SDK stamps on every 2026-07-28 result: resultType, then the server's identity in _meta, which comes last
        // when the result had no _meta of its own (a refusal: not the common path, so it may take a node).
        var result = answer.Result!;
        result.ResultType ??= "complete";
        if (result.Meta is { } meta)
        {
            AddServerInfo(meta);
            JsonSerializer.Serialize(writer, result, ResultInfo);
            return;
        }

        var node = JsonSerializer.SerializeToNode(result, ResultInfo)!.AsObject();
        var added = new JsonObject();
        AddServerInfo(added);
        node["_meta"] = added;
        node.WriteTo(writer, Json);
    }

    private void AddServerInfo(JsonObject meta) => meta[MetaKeys.ServerInfo] = _serverInfo.DeepClone();

    private static void WriteError(Utf8JsonWriter writer, int code, string message)
    {
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    // One SSE event whose data is the JSON-RPC response, its members in the SDK's order.
    private static ArrayBufferWriter<byte> Event(McpDirectRequest request, Action<Utf8JsonWriter> writeAnswer)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        buffer.Write("event: message\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
        {
            writer.WriteStartObject();
            writeAnswer(writer);
            writer.WritePropertyName("id");
            request.Id.WriteTo(writer);
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer;
    }

    // The statuses the SDK gives these JSON-RPC errors on a 2026-07-28 request.
    private static int StatusFor(McpErrorCode code) => code switch
    {
        McpErrorCode.MethodNotFound => StatusCodes.Status404NotFound,
        McpErrorCode.MissingRequiredClientCapability or McpErrorCode.UnsupportedProtocolVersion or McpErrorCode.HeaderMismatch => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status200OK,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "MCP tools/call {Tool} failed")]
    private static partial void LogFailed(ILogger logger, Exception error, string tool);
}
