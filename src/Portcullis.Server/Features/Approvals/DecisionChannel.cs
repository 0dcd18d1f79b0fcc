namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// Where a decision came from, recorded on each approver's decision (<c>approval_decisions.channel</c>) and on the
/// approval's final one (<c>approvals.decided_channel</c>). Decisions recorded before channels were have none.
/// </summary>
public static class DecisionChannel
{
    public const string Dashboard = "dashboard";
    public const string Api = "api";
    public const string Slack = "slack";
    public const string Email = "email";
    public const string Expiry = "expiry";
}
