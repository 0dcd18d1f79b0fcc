using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary><c>tools/list</c>: the calling agent's tools (<see cref="McpToolCatalog"/>), in one page.</summary>
public sealed class McpToolList(McpToolCatalog catalog)
{
    public const string ActionTypeKey = "portcullis/actionType";

    public async ValueTask<ListToolsResult> HandleAsync(RequestContext<ListToolsRequestParams> request, CancellationToken ct)
    {
        var agent = McpRequest.Http(request).GetAgent();
        var tools = await catalog.ListAsync(agent, ct);
        return new ListToolsResult { Tools = tools.Select(ToTool).ToList() };
    }

    private static Tool ToTool(McpToolEntry entry) => new()
    {
        Name = entry.Name,
        Title = entry.Title,
        Description = entry.Description,
        InputSchema = entry.InputSchema,
        Annotations = new ToolAnnotations
        {
            Title = entry.Title,
            ReadOnlyHint = entry.Hints.ReadOnly,
            DestructiveHint = entry.Hints.Destructive,
            IdempotentHint = entry.Hints.Idempotent,
            OpenWorldHint = entry.Hints.OpenWorld,
        },
        Meta = new JsonObject { [ActionTypeKey] = entry.ActionType, ["portcullis/provider"] = entry.Provider },
    };
}
