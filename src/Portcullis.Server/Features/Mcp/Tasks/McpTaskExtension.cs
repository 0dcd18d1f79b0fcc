// The SDK marks its extension points (alternate results, custom request handlers) experimental: the tasks extension is built on them.
#pragma warning disable MCPEXP002

using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// The tasks extension (<c>io.modelcontextprotocol/tasks</c>, protocol 2026-07-28) on the SDK's extension points: the
/// server advertises it, serves <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> as custom request handlers,
/// and <c>tools/call</c> answers a task (an alternate result) when a call waits for an approval and the request declares
/// the extension. <see cref="Configure"/> also wires the 2025-11-25 tasks utility (<see cref="LegacyTasks"/>) on the same handlers.
/// </summary>
public static class McpTaskExtension
{
    public const string Id = "io.modelcontextprotocol/tasks";
    public const string Get = "tasks/get";
    public const string Update = "tasks/update";
    public const string Cancel = "tasks/cancel";

    /// <summary>The first protocol version with per-request capabilities, which the extension needs.</summary>
    public const string ProtocolVersion = "2026-07-28";

    public static void Configure(McpServerOptions options)
    {
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Extensions ??= new Dictionary<string, object>();
        options.Capabilities.Extensions[Id] = new JsonObject();
        options.RequestHandlers ??= [];
        // The spec has clients send the task id in Mcp-Name too, so a load balancer can route on it; the SDK checks they match.
        options.RequestHandlers.Add(Handler(Get, (m, r, ct) => m.GetAsync(r, ct)));
        options.RequestHandlers.Add(Handler(Update, (m, r, ct) => m.UpdateAsync(r, ct)));
        options.RequestHandlers.Add(Handler(Cancel, (m, r, ct) => m.CancelAsync(r, ct)));
        // 2025-11-25 sessions: the core tasks utility over the same tasks.
        options.RequestHandlers.Add(Handler(LegacyTasks.ResultMethod, (m, r, ct) => m.ResultAsync(r, ct)));
        options.Filters.Message.OutgoingFilters.Add(LegacyTasks.AdvertiseOnInitialize);
    }

    /// <summary>
    /// True when the request may be answered with a task: protocol 2026-07-28 or later and the extension in the request's
    /// own client capabilities (a server must not infer them from earlier requests).
    /// </summary>
    public static bool Declared(JsonRpcRequest request) =>
        IsTasksProtocol(request)
        && (request.Context?.ClientCapabilities?.Extensions?.ContainsKey(Id) is true
            || request.Params?["_meta"]?[MetaKeys.ClientCapabilities]?["extensions"] is JsonObject extensions && extensions.ContainsKey(Id));

    /// <summary>Protocol versions are dates: 2026-07-28 and any later one.</summary>
    public static bool IsTasksProtocol(JsonRpcRequest request) =>
        request.Context?.ProtocolVersion is { } version && string.CompareOrdinal(version, ProtocolVersion) >= 0;

    private static McpServerRequestHandler Handler(
        string method, Func<McpTaskMethods, RequestContext<JsonNode?>, CancellationToken, ValueTask<JsonNode?>> handle) => new()
        {
            Method = method,
            RoutingNameParameter = "taskId",
            Handler = (request, ct) => handle(request.Services!.GetRequiredService<McpTaskMethods>(), request, ct),
        };
}
