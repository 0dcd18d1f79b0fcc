using System.Text.Json;
using Portcullis.Server.Features.Actions;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// An approval as the agent sees it (<c>GET /api/approvals/{id}</c> with an agent key, and the callback body),
/// exactly as docs/api.md shapes it. <c>execution</c> keeps the spec's snake_case fields. <c>policyRevision</c> is the
/// policy-set revision that asked for the approval (null for requests recorded before revisions were);
/// <c>argumentsDigest</c> binds the approval to the exact call (see <see cref="Approvals.ArgumentsDigest"/>; null for
/// approvals recorded before digests were). <c>edited</c> says an approver changed the payload before approving:
/// <c>editedPayload</c> is what was sent, <c>editedArgumentsDigest</c> its digest (the original stays in the action request).
/// </summary>
public sealed record ApprovalDto(
    string Id,
    string Status,
    string ActionRequestId,
    string RunId,
    string ActionType,
    string? Provider,
    int ApprovalsRequired,
    int ApprovalsReceived,
    string CreatedAt,
    string ExpiresAt,
    string? DecidedAt,
    string? Comment,
    string? DecidedBy,
    ExecutionDto? Execution,
    long? PolicyRevision,
    string? ArgumentsDigest,
    bool Edited,
    JsonElement? EditedPayload,
    string? EditedArgumentsDigest);

/// <summary>
/// An approval as an approver sees it: the agent's view plus everything needed to decide — the agent, the
/// action's resource, payload and evidence, the policies that matched with their reasons, and each decision so far.
/// <c>decidedChannel</c> is where the final decision came from (<c>expiry</c> for an expired one).
/// </summary>
public sealed record ApprovalDetailDto(
    string Id,
    string Status,
    string ActionRequestId,
    string RunId,
    string AgentId,
    string AgentName,
    string ActionType,
    string? Provider,
    string? ResourceType,
    string? ResourceId,
    JsonElement Payload,
    JsonElement? Evidence,
    string Reason,
    JsonElement MatchedPolicies,
    int ApprovalsRequired,
    int ApprovalsReceived,
    IReadOnlyList<ApprovalDecisionDto> Decisions,
    string CreatedAt,
    string ExpiresAt,
    string? DecidedAt,
    string? Comment,
    string? DecidedBy,
    ExecutionDto? Execution,
    long? PolicyRevision,
    string? ArgumentsDigest,
    bool AllowEdit,
    bool Edited,
    JsonElement? EditedPayload,
    string? EditedArgumentsDigest,
    long? EditedPolicyRevision,
    string? ApproverGroup,
    string? EscalateTo,
    string? EscalatedAt,
    string? DecidedChannel);

/// <summary>One approver's decision, and where it came from (<see cref="DecisionChannel"/>; null when recorded before channels were).</summary>
public sealed record ApprovalDecisionDto(string UserId, string Name, string Decision, string? Comment, string DecidedAt, string? Channel);

public sealed record ApprovalPage(IReadOnlyList<ApprovalDetailDto> Items, string? NextCursor);
