using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// Talks to upstream MCP servers over Streamable HTTP with the official C# SDK client: one short session per use (list,
/// or check-then-call). Connections go through the <see cref="OutboundGuard"/>, never follow redirects, and the SDK gets
/// no logger, so the credential header cannot reach a log.
/// </summary>
public sealed class McpUpstream(OutboundGuard guard) : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = guard.ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = CallTimeout };

    public async Task<McpClient> ConnectAsync(string url, McpCredential? credential, CancellationToken ct)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(url),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "portcullis-gateway",
            ConnectionTimeout = CallTimeout,
            AdditionalHeaders = credential is null ? null : new Dictionary<string, string> { [credential.AsHeader().Key] = credential.AsHeader().Value },
        };
        var transport = new HttpClientTransport(options, _http, NullLoggerFactory.Instance, ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "portcullis-gateway", Version = "1.0.0" },
        }, NullLoggerFactory.Instance, ct);
    }

    /// <summary>Every tool the server lists, following pagination.</summary>
    public static async Task<IReadOnlyList<ToolDefinition>> ListToolsAsync(McpClient client, CancellationToken ct)
    {
        var tools = new List<ToolDefinition>();
        string? cursor = null;
        do
        {
            var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, ct);
            tools.AddRange(page.Tools.Select(ToolDefinition.From));
            cursor = page.NextCursor;
        }
        while (cursor is not null && tools.Count < 10_000);

        return tools;
    }

    /// <summary>Whether an exception is the upstream's trouble (unreachable, refused, malformed, too slow) rather than a bug here.</summary>
    public static bool IsUpstreamFailure(Exception ex) =>
        ex is HttpRequestException or McpException or IOException or TimeoutException or System.Text.Json.JsonException or TaskCanceledException;

    /// <summary>A one-line reason for an upstream failure, without the URL's query or any header.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        TaskCanceledException or TimeoutException => "the upstream server did not answer in time",
        HttpRequestException { StatusCode: { } status } => $"the upstream server answered HTTP {(int)status}",
        HttpRequestException http => $"the upstream server could not be reached: {http.Message}",
        McpException mcp => $"the upstream server refused the request: {mcp.Message}",
        _ => $"the upstream server's answer could not be used: {ex.Message}",
    };

    public void Dispose() => _http.Dispose();
}
