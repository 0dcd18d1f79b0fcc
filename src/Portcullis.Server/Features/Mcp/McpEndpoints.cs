// The SDK marks its extension points (alternate results, custom request handlers) experimental: the tasks extension is built on them.
#pragma warning disable MCPEXP002

using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Mcp.Tasks;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The MCP server: Streamable HTTP at <c>/mcp</c> (2026-07-28 stateless with <c>server/discover</c>, and 2025-11-25 and
/// earlier with <c>initialize</c>, on one endpoint), behind the AgentKey scheme and its rate limit, plus the RFC 9728
/// protected-resource metadata.
/// </summary>
public static class McpEndpoints
{
    public const string Path = "/mcp";
    public const string ResourceMetadataPath = "/.well-known/oauth-protected-resource";

    private const string Instructions =
        "Every tool is an action governed by Portcullis policies: a call may run, be blocked (a tool error with the reason) or wait for "
        + "a person's approval (the result names the approval; call portcullis_wait_for_approval to get the outcome, "
        + "or, when the call answered a task, poll the task).";

    // Read once: a stateless request builds its server options afresh, and Assembly.GetName() is reflection.
    private static readonly string Version = typeof(McpEndpoints).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public static IServiceCollection AddMcp(this IServiceCollection services)
    {
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.Section)
            .Validate(o => o.MaxWaitSeconds is > 0 and <= 60, "Portcullis:Mcp:MaxWaitSeconds must be between 1 and 60")
            .Validate(o => o.TaskPollIntervalMs is >= 100 and <= 60_000, "Portcullis:Mcp:TaskPollIntervalMs must be between 100 and 60000").ValidateOnStart();
        services.AddHttpContextAccessor();
        // Sources in precedence order: a name the first source offers cannot be taken by a later one.
        services.AddSingleton<IMcpToolSource, BuiltInToolSource>();
        services.AddSingleton<IMcpToolSource, CustomToolSource>();
        services.AddSingleton<IMcpToolSource, GatewayToolSource>();
        services.AddSingleton<IMcpToolSource, WorkflowToolSource>();
        services.AddSingleton<WorkflowTool>();
        services.AddSingleton<CustomToolStore>();
        services.AddSingleton<BlockedTools>();
        services.AddSingleton<McpToolCatalog>();
        services.AddSingleton<McpClientRuns>();
        services.AddSingleton<WaitForApprovalTool>();
        services.AddSingleton<McpToolList>();
        services.AddSingleton<McpToolCall>();
        services.AddSingleton<McpDirectCalls>();
        services.AddSingleton<ApprovalTasks>();
        services.AddSingleton<CallTasks>();
        services.AddSingleton<McpTaskAnswers>();
        services.AddSingleton<McpTaskMethods>();
        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "portcullis", Title = "Portcullis", Version = Version };
                o.ServerInstructions = Instructions;
                // The handlers use singletons only: no service scope per request.
                o.ScopeRequests = false;
                // The alternate-result handler lets a call answer a task (tasks extension) instead of its CallToolResult.
                o.Handlers.CallToolWithAlternateHandler = (request, ct) => request.Services!.GetRequiredService<McpToolCall>().HandleAsync(request, ct);
                McpTaskExtension.Configure(o);
            })
            .WithHttpTransport()
            .WithListToolsHandler((request, ct) => request.Services!.GetRequiredService<McpToolList>().HandleAsync(request, ct));
        services.AddOptions<HttpServerTransportOptions>().Configure<IOptions<McpOptions>>((transport, mcp) => transport.SessionMode = mcp.Value.SessionMode);
        return services;
    }

    public static WebApplication MapMcpServer(this WebApplication app)
    {
        app.Use((http, next) => McpOriginGuard.InvokeAsync(http, () => next(http)));
        var mcp = app.MapMcp(Path).RequireAgentKey().WithMetadata(new ResourceChallenge(), new McpResource()).WithTags("MCP");
        McpDirectCalls.Route(mcp);
        // RFC 9728 §3.1: the metadata of https://host/mcp lives at /.well-known/oauth-protected-resource/mcp; the bare path
        // serves the same document for clients that look there first.
        app.MapGet(ResourceMetadataPath, ProtectedResource.Handle).WithTags("MCP");
        app.MapGet(ResourceMetadataPath + Path, ProtectedResource.Handle).WithTags("MCP");
        return app;
    }

    // RFC 6750 §3.1: a presented token that failed is an invalid_token; no token at all gets the bare challenge.
    private sealed class ResourceChallenge : IBearerChallenge
    {
        public string HeaderValue(HttpContext http) =>
            $"Bearer resource_metadata=\"{McpLinks.For(http).ResourceMetadata}\""
            + (http.Request.Headers.Authorization.Count > 0 ? ", error=\"invalid_token\"" : "");
    }

    // /mcp also takes the OAuth access tokens issued for it (RFC 8707: the token's resource must be this one).
    private sealed class McpResource : IOAuthResource
    {
        public string ResourceFor(HttpContext http) => McpLinks.For(http).Resource;
    }
}
