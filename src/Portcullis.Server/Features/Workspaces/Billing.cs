namespace Portcullis.Server.Features.Workspaces;

/// <summary>
/// The workspace's billing state. There is no billing provider yet: owners set it through the
/// settings API or <c>portcullis billing set</c>, and agents are refused with 402 while it is locked.
/// </summary>
public static class Billing
{
    public const string Active = "active";
    public const string Trialing = "trialing";
    public const string PastDue = "past_due";
    public const string Cancelled = "cancelled";

    public static readonly string[] States = [Active, Trialing, PastDue, Cancelled];

    /// <summary>Why billing is locked, and how to recover; null when agents may proceed.</summary>
    public sealed record Lock(string State, string Reason, string Recovery);

    public static Lock? Evaluate(WorkspaceRow ws, long nowMs)
    {
        const string recovery =
            "an owner can restore service with PATCH /api/workspace/settings {\"billing\":{\"state\":\"active\"}} or `portcullis billing set --state active`";
        switch (ws.BillingState)
        {
            case Trialing when ws.BillingTrialEndsAt is { } ends && ends <= nowMs:
                return new Lock("trial_expired", $"the trial ended at {Infrastructure.Times.ToIso(ends)}", recovery);
            case PastDue when ws.BillingPastDueSince is { } since && nowMs > since + ws.BillingGraceDays * 86_400_000L:
                return new Lock(PastDue, $"payment has been past due since {Infrastructure.Times.ToIso(since)}, beyond the {ws.BillingGraceDays}-day grace period", recovery);
            case Cancelled:
                return new Lock(Cancelled, "the subscription is cancelled", recovery);
            default:
                return null;
        }
    }
}
