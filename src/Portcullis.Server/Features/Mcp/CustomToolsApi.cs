using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Connectors;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// <c>/api/mcp/tools</c>: the workspace's custom MCP tools. Admins add and delete them, every member reads them.
/// </summary>
public static partial class CustomToolsApi
{
    public sealed record CreateRequest(string Name, string Description, JsonElement InputSchema);

    public static RouteGroupBuilder MapMcpTools(this RouteGroupBuilder group)
    {
        group.MapGet("/mcp/tools", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/mcp/tools", Create).RequireAuthorization(RolePolicies.Admin).Accepts<CreateRequest>("application/json");
        group.MapDelete("/mcp/tools/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<CustomToolDto>>> List(HttpContext http, CustomToolStore store) =>
        TypedResults.Ok(await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

    public static Task<Results<Created<CustomToolDto>, ProblemHttpResult>> Create(HttpContext http, CustomToolStore store, IOptions<LimitsOptions> limits) =>
        JsonBody.ThenAsync<Created<CustomToolDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var name = f.String("name", required: true, maxLength: 64);
            var description = f.String("description", required: true, maxLength: 1024);
            var schema = f.ObjectWithText("inputSchema", required: true, maxBytes: limits.Value.MaxPayloadBytes);
            CheckName(name, f.Errors);
            if (schema is { } s && !(s.Element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "object"))
            {
                f.Errors.Add("inputSchema", "must be a JSON Schema whose `type` is `object`");
            }

            if (f.Errors.Any)
            {
                return Problems.Validation(f.Errors);
            }

            var member = http.User.GetMember();
            var added = await store.AddAsync(member.WorkspaceId, member.UserId, name!, description!, schema!.Value.Text, http.RequestAborted);
            return added is null
                ? Problems.Conflict($"a custom tool named `{name}` already exists")
                : TypedResults.Created($"/api/mcp/tools/{added.Id}", added);
        });

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, CustomToolStore store, string id)
    {
        var member = http.User.GetMember();
        return await store.DeleteAsync(member.WorkspaceId, member.UserId, id, http.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"custom tool `{id}`");
    }

    // MCP tool names allow letters, digits, `_`, `-` and `.`; built-in action types and the server's own names are taken.
    private static void CheckName(string? name, FieldErrors errors)
    {
        if (name is null)
        {
            return;
        }

        if (!ToolName().IsMatch(name))
        {
            errors.Add("name", "must be 1 to 64 letters, digits, `_`, `-` or `.`");
        }
        else if (ActionCatalog.TryGetProvider(name, out _))
        {
            errors.Add("name", $"`{name}` is a built-in action type");
        }
        else if (name.StartsWith(McpToolCatalog.ReservedPrefix, StringComparison.Ordinal) || name.StartsWith("mcp.", StringComparison.Ordinal))
        {
            errors.Add("name", $"names starting with `{McpToolCatalog.ReservedPrefix}` or `mcp.` are reserved");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ToolName();
}
