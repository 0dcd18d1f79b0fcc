using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors;

/// <summary>
/// What a built-in action may do, in the terms MCP tool annotations use. They decide crash recovery: a call
/// whose outcome is unknown after a crash is sent again only when <see cref="ActionCatalog.SafeToRepeat"/>.
/// </summary>
/// <param name="ReadOnly">Changes nothing at the provider.</param>
/// <param name="Destructive">May destroy or irreversibly change something (money moved back, data overwritten).</param>
/// <param name="Idempotent">Sending the same request twice has the effect of sending it once.</param>
public readonly record struct ActionHints(bool ReadOnly, bool Destructive, bool Idempotent)
{
    /// <summary>Reads without changing anything; repeating is harmless.</summary>
    public static ActionHints Read => new(true, false, true);
}

/// <summary>One built-in action: its type, what it does, its declarative payload schema and its hints.</summary>
public sealed class ActionDescriptor
{
    private readonly Func<PayloadReader, object> _build;

    internal ActionDescriptor(string actionType, string description, ObjectSchema payload, ActionHints hints, Func<PayloadReader, object> build)
    {
        ActionType = actionType;
        Description = description;
        Payload = payload;
        Hints = hints;
        _build = build;
    }

    /// <summary>The action type agents request, e.g. <c>refund.create</c>.</summary>
    public string ActionType { get; }

    /// <summary>One sentence on what the action does.</summary>
    public string Description { get; }

    /// <summary>The payload schema: validation and JSON Schema come from this one declaration.</summary>
    public ObjectSchema Payload { get; }

    /// <summary>Read-only, destructive and idempotent hints.</summary>
    public ActionHints Hints { get; }

    /// <summary>The payload's JSON Schema (draft 2020-12), a new object on every call.</summary>
    public JsonObject InputSchema()
    {
        var schema = new JsonObject { ["$schema"] = SchemaNode.Dialect };
        foreach (var (key, value) in Payload.ToJsonSchema())
        {
            schema[key] = value?.DeepClone();
        }

        return schema;
    }

    /// <summary>Validates the payload (every problem, paths under <c>payload</c>) and, when valid, builds the typed record.</summary>
    internal ParsedPayload Parse(JsonElement payload)
    {
        var errors = new List<FieldError>();
        Payload.Validate(payload, "payload", errors);
        return errors.Count == 0 ? new ParsedPayload(_build(new PayloadReader(payload)), []) : new ParsedPayload(null, errors);
    }
}

/// <summary>A typed payload model (null when invalid) and every validation error.</summary>
internal sealed record ParsedPayload(object? Model, IReadOnlyList<FieldError> Errors);
