using System.Text.Json;
using Json.Schema;
using Portcullis.Connectors;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// The request-time check of a gateway action, before policies: the server exists in the agent's workspace, the agent is
/// linked to it, the tool is pinned, and the payload satisfies the pinned input schema. Every failure is a field error,
/// so the engine answers 400 <c>validation_failed</c> (and records <c>action.invalid</c>) and nothing reaches the upstream.
/// Whether the tool is approved, and unchanged, is checked right before the call (<see cref="McpToolDispatcher"/>).
/// </summary>
public sealed partial class McpActionCheck(Database database)
{
    public const string NotLinked = "not_linked";

    public async Task<IReadOnlyList<FieldError>> CheckAsync(string workspaceId, string agentId, string actionType, JsonElement payload, CancellationToken ct)
    {
        if (!McpNames.TryParse(actionType, out var serverName, out var toolName))
        {
            return [new("actionType", "must be `mcp.<server>.<tool>` for an MCP gateway tool")];
        }

        await using var c = await database.OpenAsync(ct);
        if (await McpServerStore.FindByNameAsync(c, workspaceId, serverName) is not { } server)
        {
            return [new("actionType", $"no MCP server `{serverName}` is registered")];
        }

        if (!await McpServerStore.IsLinkedAsync(c, server.Id, agentId))
        {
            return [new("actionType", $"{NotLinked}: this agent is not linked to MCP server `{serverName}`")];
        }

        if (await McpServerStore.FindToolAsync(c, server.Id, toolName) is not { } tool)
        {
            return [new("actionType", $"MCP server `{serverName}` has no tool `{toolName}`")];
        }

        return Validate(tool.InputSchema, payload);
    }

    /// <summary>Every place the payload breaks the schema, as <c>payload.&lt;path&gt;</c> errors.</summary>
    public static IReadOnlyList<FieldError> Validate(string schemaJson, JsonElement payload)
    {
        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            return [new("actionType", "the tool's pinned input schema is not a usable JSON Schema")];
        }

        var results = schema.Evaluate(payload, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.SelectMany(e => ErrorsOf(FieldOf(d.InstanceLocation.ToString()), e.Key, e.Value)))
            .DistinctBy(e => (e.Field, e.Message))
            .ToList();
        return errors.Count > 0 ? errors : [new("payload", "does not match the tool's input schema")];
    }

    // A missing required property is named as its own field, as the built-in actions do (`payload.id: is required`).
    private static IEnumerable<FieldError> ErrorsOf(string field, string keyword, string message) =>
        keyword == "required" && Quoted().Matches(message) is { Count: > 0 } missing
            ? missing.Select(m => new FieldError($"{field}.{m.Groups[1].Value}", "is required"))
            : [new FieldError(field, Lower(message))];

    [System.Text.RegularExpressions.GeneratedRegex("\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Quoted();

    // JSON Pointer (/a/0/b) → payload.a[0].b, the way the built-in actions name fields.
    private static string FieldOf(string pointer)
    {
        var path = "payload";
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path += int.TryParse(name, System.Globalization.CultureInfo.InvariantCulture, out var index) ? $"[{index}]" : "." + name;
        }

        return path;
    }

    private static string Lower(string message) => message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
}
