using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Connectors;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Actions;

/// <summary>Which workflow run and step asked for an action.</summary>
public sealed record WorkflowStepRef(string WorkflowRunId, string WorkflowId, string WorkflowName, string StepId);

/// <summary>
/// A governed action as every transport hands it to <see cref="ActionEngine"/>: checked against the catalog (provider
/// inferred or checked, payload validated for built-in types), with the transport it came through.
/// </summary>
public sealed class ActionRequestInput
{
    public string RunId { get; private init; } = "";
    public string ActionType { get; private init; } = "";
    public string? Provider { get; private init; }
    public bool BuiltIn { get; private init; }

    /// <summary>A tool of an upstream MCP server (<c>mcp.&lt;server&gt;.&lt;tool&gt;</c>): dispatched to that server, provider <c>mcp</c>.</summary>
    public bool Gateway { get; private init; }
    public string? ResourceType { get; private init; }
    public string? ResourceId { get; private init; }
    public JsonElement Payload { get; private init; }
    public string PayloadJson { get; private init; } = "{}";
    public JsonElement? Evidence { get; private init; }
    public string? EvidenceJson { get; private init; }
    public string? IdempotencyKey { get; private init; }
    public string? CallbackUrl { get; private init; }

    /// <summary>The transport: one of <see cref="ActionSource"/>.</summary>
    public string Source { get; private init; } = ActionSource.Rest;

    /// <summary>Caller-supplied context that policies read as <c>context.&lt;path&gt;</c>.</summary>
    public JsonElement? Context { get; private init; }
    public string? ContextJson { get; private init; }

    /// <summary>The workflow step that requested the action (source <c>workflow</c>); policies read it as <c>workflow.*</c>.</summary>
    public WorkflowStepRef? Workflow { get; private init; }

    /// <summary>The credential to dispatch with, when the caller picked one (a workflow step); else the agent's linked one.</summary>
    public string? CredentialId { get; private init; }

    /// <summary>Payload errors of a built-in action type: reported, and recorded on the run's timeline.</summary>
    public IReadOnlyList<FieldError> PayloadErrors { get; private init; } = [];

    private byte[]? _hash;

    /// <summary>
    /// What "the same request" means for idempotency: every field that could change the outcome. Computed once:
    /// the replay check and the recorded row both need it. A REST request without context hashes as it always has.
    /// </summary>
    public byte[] Hash() => _hash ??= SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0000',
        [RunId, ActionType, Provider ?? "", ResourceType ?? "", ResourceId ?? "", PayloadJson, EvidenceJson ?? "", CallbackUrl ?? "",
            .. Source == ActionSource.Rest && ContextJson is null ? Array.Empty<string>() : [Source, ContextJson ?? ""]])));

    /// <summary>The JSON members of a request, as a transport parsed them (objects with their raw text).</summary>
    public sealed record Fields(
        string? RunId, string? ActionType, string? Provider, string? ResourceType, string? ResourceId,
        (JsonElement Element, string Text)? Payload, (JsonElement Element, string Text)? Evidence = null, string? IdempotencyKey = null,
        string? CallbackUrl = null, (JsonElement Element, string Text)? Context = null, WorkflowStepRef? Workflow = null,
        string? CredentialId = null);

    /// <summary>Checks a request against the catalog; shape errors go to <paramref name="errors"/>, payload errors to <see cref="PayloadErrors"/>.</summary>
    public static ActionRequestInput Create(Fields f, string source, FieldErrors errors)
    {
        if (f.CallbackUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            errors.Add("callbackUrl", "must be an absolute http or https URL");
        }

        var actionType = f.ActionType;
        var builtIn = actionType is not null && ActionCatalog.TryGetProvider(actionType, out var inferred) ? inferred
            : McpGateway.McpNames.IsGatewayAction(actionType) ? McpGateway.McpNames.Provider : null;
        if (builtIn is not null && f.Provider is not null && f.Provider != builtIn)
        {
            errors.Add("provider", $"`{actionType}` is executed by `{builtIn}`, not `{f.Provider}`");
        }

        var gateway = builtIn == McpGateway.McpNames.Provider;
        // A gateway tool's payload is checked against its pinned schema by the engine (McpActionCheck): that needs the store.
        var payloadErrors = builtIn is not null && !gateway && f.Payload is { } p ? ActionCatalog.Validate(actionType!, p.Element) : [];
        return new ActionRequestInput
        {
            RunId = f.RunId ?? "",
            ActionType = actionType ?? "",
            Provider = builtIn ?? f.Provider,
            BuiltIn = builtIn is not null && !gateway,
            Gateway = gateway,
            ResourceType = f.ResourceType,
            ResourceId = f.ResourceId,
            Payload = f.Payload?.Element ?? default,
            PayloadJson = f.Payload?.Text ?? "{}",
            Evidence = f.Evidence?.Element,
            EvidenceJson = f.Evidence?.Text,
            IdempotencyKey = f.IdempotencyKey,
            CallbackUrl = f.CallbackUrl,
            Source = source,
            Context = f.Context?.Element,
            ContextJson = f.Context?.Text,
            Workflow = f.Workflow,
            CredentialId = f.CredentialId,
            PayloadErrors = payloadErrors,
        };
    }

    /// <summary>The REST body of <c>POST /api/actions/request</c>, with the <c>Idempotency-Key</c> header.</summary>
    public static ActionRequestInput Read(JsonElement body, string? idempotencyHeader, LimitsOptions limits, FieldErrors errors)
    {
        var f = new JsonFields(body, errors);
        var max = limits.MaxStringLength;
        var fields = new Fields(
            f.String("runId", required: true, maxLength: 64),
            f.String("actionType", required: true, maxLength: 128),
            f.String("provider", maxLength: 64),
            f.String("resourceType", maxLength: max),
            f.String("resourceId", maxLength: max),
            f.ObjectWithText("payload", required: true, maxBytes: limits.MaxPayloadBytes),
            f.ObjectWithText("evidence", maxBytes: limits.MaxPayloadBytes),
            f.String("idempotencyKey", maxLength: 255),
            f.String("callbackUrl", maxLength: 2048),
            f.ObjectWithText("context", maxBytes: limits.MaxPayloadBytes));
        if (idempotencyHeader is { Length: > 0 })
        {
            if (idempotencyHeader.Length > 255)
            {
                errors.Add("Idempotency-Key", "must be at most 255 characters");
            }
            else if (fields.IdempotencyKey is not null && fields.IdempotencyKey != idempotencyHeader)
            {
                errors.Add("idempotencyKey", "differs from the Idempotency-Key header");
            }

            fields = fields with { IdempotencyKey = fields.IdempotencyKey ?? idempotencyHeader };
        }

        return Create(fields, ActionSource.Rest, errors);
    }
}
