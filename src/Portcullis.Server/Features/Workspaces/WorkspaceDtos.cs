using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workspaces;

public sealed record BillingDto(string State, string? TrialEndsAt, string? PastDueSince, long GraceDays, bool Locked, string? LockReason);

public sealed record SettingsDto(
    string DefaultDecision, string ConnectorMode, long ApprovalExpirySeconds, bool ForbidSelfApproval, BillingDto Billing);

/// <param name="Frozen">The kill switch of the whole workspace, or null.</param>
public sealed record WorkspaceDto(string Id, string Name, string CreatedAt, string Role, SettingsDto Settings, FreezeDto? Frozen);

public sealed record MemberDto(string UserId, string Email, string Name, string Role, string JoinedAt);

public static class WorkspaceMapping
{
    public static SettingsDto ToSettings(this WorkspaceRow ws, long nowMs)
    {
        var locked = Billing.Evaluate(ws, nowMs);
        return new SettingsDto(ws.DefaultDecision, ws.ConnectorMode, ws.ApprovalExpirySeconds, ws.ForbidSelfApproval,
            new BillingDto(ws.BillingState, Times.ToIso(ws.BillingTrialEndsAt), Times.ToIso(ws.BillingPastDueSince), ws.BillingGraceDays,
                locked is not null, locked?.Reason));
    }
}

/// <summary>One of the caller's workspaces: their role there, and whether it is the one their token is in.</summary>
public sealed record WorkspaceSummaryDto(string Id, string Name, string Role, string CreatedAt, bool Current);
