namespace Portcullis.Sdk.Tests.Contract;

/// <summary>A JSON member an SDK sends or reads: its name, its JSON type, and whether it is always there.</summary>
/// <param name="Type"><c>string</c>, <c>integer</c>, <c>boolean</c>, <c>object</c>, <c>array</c> or <c>any</c>.</param>
/// <param name="Fields">For an object, its members; for an array, its items' members.</param>
public sealed record Field(string Name, string Type, bool Required = false, IReadOnlyList<Field>? Fields = null);

/// <summary>One call of the SDKs: what they send and what they read from the answer.</summary>
public sealed record Endpoint(string Method, string Path, int Status, IReadOnlyList<Field>? Request, IReadOnlyList<Field> Response)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Every endpoint and field the three SDKs use (sdk/typescript/src/types.ts, sdk/dotnet/…/Models,
/// sdk/python/src/portcullis/models.py). Required request fields are those every SDK always sends;
/// required answer fields are those the SDKs rely on being present (possibly null).
/// </summary>
public static class SdkContract
{
    private static Field S(string name, bool required = false) => new(name, "string", required);

    private static Field I(string name, bool required = false) => new(name, "integer", required);

    public static readonly IReadOnlyList<Field> ExecutionError =
        [S("code", true), S("message", true), I("provider_status", true), S("provider_request_id", true)];

    public static readonly IReadOnlyList<Field> Execution =
    [
        S("id", true), S("status", true), S("provider", true), S("action_type", true), I("attempts", true),
        new("simulated", "boolean", true), S("started_at", true), S("completed_at", true),
        new("error", "object", true, ExecutionError), new("response_payload", "any", true),
        new("edited", "boolean"), new("payload", "any"),
    ];

    public static readonly IReadOnlyList<Field> MatchedPolicy = [S("id", true), S("name", true), S("decision", true), S("reason", true), I("priority", true)];

    public static readonly IReadOnlyList<Field> RunStarted = [S("runId", true), S("status", true)];

    public static readonly IReadOnlyList<Field> LogEventsResult = [I("accepted", true), I("duplicates", true)];

    public static readonly IReadOnlyList<Field> Run =
    [
        S("runId", true), S("status", true), S("agentId", true), S("triggerType", true), S("externalRef", true),
        S("agentVersion", true), S("triggeredBy", true), S("startedAt", true), S("endedAt", true),
    ];

    public static readonly IReadOnlyList<Field> ActionAnswer =
    [
        S("decision", true), S("reason", true), S("actionRequestId", true),
        new("matchedPolicies", "array", true, MatchedPolicy), new("execution", "object", false, Execution), S("approvalRequestId"),
        I("policyRevision"),
    ];

    public static readonly IReadOnlyList<Field> Approval =
    [
        S("id", true), S("status", true), S("actionRequestId", true), S("runId", true), S("actionType", true), S("provider", true),
        I("approvalsRequired", true), I("approvalsReceived", true), S("createdAt", true), S("expiresAt", true),
        S("decidedAt", true), S("comment", true), S("decidedBy", true), I("policyRevision", true), new("execution", "object", false, Execution),
        S("argumentsDigest"), new("edited", "boolean"), new("editedPayload", "any"), S("editedArgumentsDigest"),
    ];

    public static readonly Endpoint StartRun = new("post", "/api/ingest/run-start", 201,
        [S("triggerType", true), S("externalRef"), S("agentVersion"), S("triggeredBy")], RunStarted);

    public static readonly Endpoint LogEvents = new("post", "/api/ingest/events", 200,
        [S("runId", true), new("events", "array", true, [S("eventType", true), I("sequenceNo", true), new("payload", "object"), S("occurredAt")])],
        LogEventsResult);

    public static readonly Endpoint RequestAction = new("post", "/api/actions/request", 200,
        [
            S("runId", true), S("actionType", true), new("payload", "object", true), S("provider"), S("resourceType"), S("resourceId"),
            new("evidence", "object"), S("idempotencyKey"), S("callbackUrl"),
        ],
        ActionAnswer);

    public static readonly Endpoint EndRun = new("post", "/api/ingest/run-end", 200, [S("runId", true), S("status", true)], Run);

    /// <summary>Built on the approvals branch; the SDKs already call it.</summary>
    public static readonly Endpoint GetApproval = new("get", "/api/approvals/{id}", 200, null, Approval);
}
