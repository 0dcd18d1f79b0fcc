using System.Text.Json.Nodes;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Outcome = Portcullis.Server.Features.Approvals.ApprovalDecider.Outcome;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// A verified click, decided as the member who linked that Slack user, through the one decision use case (exactly once,
/// the self-approval rule, approver groups, N-of-M) with channel <c>slack</c>. An unlinked Slack user, or a member below
/// the approver role, is refused and nothing changes. Every answer also goes to the clicker alone, through the
/// interaction's <c>response_url</c>; the message itself is updated by the durable <see cref="SlackUpdateJob"/>.
/// </summary>
public sealed class SlackDecisions(SlackLinks links, ApprovalDecider decider, SlackWebApi slack)
{
    /// <summary>The text the clicker sees.</summary>
    public async Task<string> DecideAsync(string workspaceId, SlackInteraction.Click click, CancellationToken ct)
    {
        var text = await DecideOrRefuseAsync(workspaceId, click, ct);
        if (click.ResponseUrl is { } url)
        {
            var reply = new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text };
            await slack.RespondAsync(url, reply, ct);
        }

        return text;
    }

    private async Task<string> DecideOrRefuseAsync(string workspaceId, SlackInteraction.Click click, CancellationToken ct)
    {
        if (await links.MemberOfAsync(workspaceId, click.SlackUserId, ct) is not { } linked)
        {
            return "Your Slack account is not linked to a Portcullis member of this workspace, so nothing was decided. "
                + "Link it on your Portcullis profile (Settings → Profile → Slack user id).";
        }

        if (!Roles.TryParse(linked.Role, out var role) || role < Role.Approver)
        {
            return "Only members with the approver role or above decide approvals; nothing was decided.";
        }

        var member = new Member(linked.UserId, workspaceId, role, "slack", linked.Email);
        var result = await decider.DecideAsync(member, click.ApprovalId, click.Approve, null, ct, channel: DecisionChannel.Slack);
        return result.Outcome switch
        {
            Outcome.Approved => "Approved. The action was sent to its connector.",
            Outcome.Rejected => "Rejected. The action will not run.",
            Outcome.Counted => $"Your approval is counted; {result.ApprovalsRequired} distinct approvers are needed.",
            Outcome.NotFound => "This approval was not found in the workspace.",
            Outcome.Expired => "This request expired before anyone decided; it will not run.",
            Outcome.AlreadyApproved => "You have already approved this request; a second approval from you counts once.",
            Outcome.Frozen => $"The agent is frozen ({result.FreezeReason}); unfreeze it before approving.",
            Outcome.NotInGroup => $"Only members of the approver group `{result.Group}` decide this request; nothing was decided.",
            Outcome.SelfApprovalForbidden => "You own the agent that requested this action, and this workspace forbids self-approval: another approver must approve it.",
            _ => $"Someone already decided this request ({result.Status}).",
        };
    }
}
