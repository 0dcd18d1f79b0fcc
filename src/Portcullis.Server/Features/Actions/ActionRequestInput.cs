using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Connectors;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Actions;

/// <summary>A validated <c>POST /api/actions/request</c> body.</summary>
public sealed class ActionRequestInput
{
    public string RunId { get; private init; } = "";
    public string ActionType { get; private init; } = "";
    public string? Provider { get; private init; }
    public bool BuiltIn { get; private init; }
    public string? ResourceType { get; private init; }
    public string? ResourceId { get; private init; }
    public JsonElement Payload { get; private init; }
    public string PayloadJson { get; private init; } = "{}";
    public JsonElement? Evidence { get; private init; }
    public string? EvidenceJson { get; private init; }
    public string? IdempotencyKey { get; private init; }
    public string? CallbackUrl { get; private init; }

    /// <summary>Payload errors of a built-in action type: reported, and recorded on the run's timeline.</summary>
    public IReadOnlyList<FieldError> PayloadErrors { get; private init; } = [];

    private byte[]? _hash;

    /// <summary>
    /// What "the same request" means for idempotency: every field that could change the outcome. Computed once:
    /// the replay check and the recorded row both need it.
    /// </summary>
    public byte[] Hash() => _hash ??= SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0000',
        RunId, ActionType, Provider ?? "", ResourceType ?? "", ResourceId ?? "", PayloadJson, EvidenceJson ?? "", CallbackUrl ?? "")));

    public static ActionRequestInput Read(JsonElement body, string? idempotencyHeader, LimitsOptions limits, FieldErrors errors)
    {
        var f = new JsonFields(body, errors);
        var max = limits.MaxStringLength;
        var runId = f.String("runId", required: true, maxLength: 64);
        var actionType = f.String("actionType", required: true, maxLength: 128);
        var provider = f.String("provider", maxLength: 64);
        var resourceType = f.String("resourceType", maxLength: max);
        var resourceId = f.String("resourceId", maxLength: max);
        var payload = f.ObjectWithText("payload", required: true, maxBytes: limits.MaxPayloadBytes);
        var evidence = f.ObjectWithText("evidence", maxBytes: limits.MaxPayloadBytes);
        var key = f.String("idempotencyKey", maxLength: 255);
        var callbackUrl = f.String("callbackUrl", maxLength: 2048);

        if (idempotencyHeader is { Length: > 0 })
        {
            if (idempotencyHeader.Length > 255)
            {
                errors.Add("Idempotency-Key", "must be at most 255 characters");
            }
            else if (key is not null && key != idempotencyHeader)
            {
                errors.Add("idempotencyKey", "differs from the Idempotency-Key header");
            }

            key ??= idempotencyHeader;
        }

        if (callbackUrl is not null && !(Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            errors.Add("callbackUrl", "must be an absolute http or https URL");
        }

        var builtIn = actionType is not null && ActionCatalog.TryGetProvider(actionType, out var inferred) ? inferred : null;
        if (builtIn is not null && provider is not null && provider != builtIn)
        {
            errors.Add("provider", $"`{actionType}` is executed by `{builtIn}`, not `{provider}`");
        }

        var payloadErrors = builtIn is not null && payload is { } p ? ActionCatalog.Validate(actionType!, p.Element) : [];
        return new ActionRequestInput
        {
            RunId = runId ?? "",
            ActionType = actionType ?? "",
            Provider = builtIn ?? provider,
            BuiltIn = builtIn is not null,
            ResourceType = resourceType,
            ResourceId = resourceId,
            Payload = payload?.Element ?? default,
            PayloadJson = payload?.Text ?? "{}",
            Evidence = evidence?.Element,
            EvidenceJson = evidence?.Text,
            IdempotencyKey = key,
            CallbackUrl = callbackUrl,
            PayloadErrors = payloadErrors,
        };
    }
}
