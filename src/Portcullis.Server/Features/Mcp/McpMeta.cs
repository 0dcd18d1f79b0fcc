using System.Text.Json;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The <c>_meta</c> keys a <c>tools/call</c> may carry (each optional), read into the engine's request fields. Errors
/// name the key as <c>_meta.portcullis/…</c>.
/// </summary>
public sealed record McpMeta(
    string? RunId, (JsonElement Element, string Text)? Evidence, string? IdempotencyKey, (JsonElement Element, string Text)? Context,
    string? ResourceType, string? ResourceId)
{
    /// <summary>A run of the agent to record the call in, instead of the client's run.</summary>
    public const string RunIdKey = "portcullis/runId";

    /// <summary>An object of evidence, as <c>evidence</c> in a REST request (policies read <c>evidence.…</c>).</summary>
    public const string EvidenceKey = "portcullis/evidence";

    /// <summary>A retry with the same key returns the first answer and never executes twice.</summary>
    public const string IdempotencyKeyKey = "portcullis/idempotencyKey";

    /// <summary>An object policies read as <c>context.…</c>.</summary>
    public const string ContextKey = "portcullis/context";

    public const string ResourceTypeKey = "portcullis/resourceType";
    public const string ResourceIdKey = "portcullis/resourceId";

    /// <param name="meta">The request's <c>_meta</c> object; an undefined element when it has none.</param>
    public static McpMeta Read(JsonElement meta, LimitsOptions limits, FieldErrors errors)
    {
        if (meta.ValueKind == JsonValueKind.Undefined)
        {
            return new McpMeta(null, null, null, null, null, null);
        }

        var f = new JsonFields(meta, errors, "_meta");
        return new McpMeta(
            f.String(RunIdKey, maxLength: 64),
            f.ObjectWithText(EvidenceKey, maxBytes: limits.MaxPayloadBytes),
            f.String(IdempotencyKeyKey, maxLength: 255),
            f.ObjectWithText(ContextKey, maxBytes: limits.MaxPayloadBytes),
            f.String(ResourceTypeKey, maxLength: limits.MaxStringLength),
            f.String(ResourceIdKey, maxLength: limits.MaxStringLength));
    }
}
