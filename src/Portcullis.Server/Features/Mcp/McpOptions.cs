using ModelContextProtocol.AspNetCore;

namespace Portcullis.Server.Features.Mcp;

/// <summary>Section <c>Portcullis:Mcp</c>.</summary>
public sealed class McpOptions
{
    public const string Section = "Portcullis:Mcp";

    /// <summary>
    /// The server's public URL (e.g. <c>https://portcullis.example.com</c>) for approval links and the protected-resource
    /// metadata; unset, <c>Portcullis:OAuth:PublicBaseUrl</c>, then the request's own scheme and host.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// <c>StatefulForInitializeClients</c> (default): 2025-11-25 clients keep an MCP session (sticky to one instance behind
    /// a load balancer), 2026-07-28 clients are served statelessly. <c>Stateless</c>: no sessions for anyone (any instance
    /// serves any request; 2025-11-25 calls are then grouped by client name only when the client sends it).
    /// </summary>
    public HttpServerSessionMode SessionMode { get; set; } = HttpServerSessionMode.StatefulForInitializeClients;

    /// <summary>
    /// Plain 2026-07-28 <c>tools/call</c> requests are answered on a direct path beside the SDK (<see cref="McpDirectCalls"/>),
    /// with the same answers at less cost; false sends every request through the SDK's pipeline.
    /// </summary>
    public bool DirectToolCalls { get; set; } = true;

    /// <summary>Browser origins (besides the public URL and loopback) allowed to call <c>/mcp</c>, e.g. a web-based MCP client.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Longest wait of <c>portcullis_wait_for_approval</c>, in seconds (kept under common client time-outs of 60 s).</summary>
    public int MaxWaitSeconds { get; set; } = 50;

    /// <summary>The <c>pollIntervalMs</c> a working MCP task suggests to the client: a person decides an approval in minutes.</summary>
    public int TaskPollIntervalMs { get; set; } = 2000;
}
