using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Tells the channel an approval escalated: a reply in the message's thread, also shown in the channel, naming the group
/// that now decides (the message itself is updated by <see cref="SlackUpdateJob"/>). Like the first post it is not
/// idempotent, so an interrupted one is not sent again.
/// </summary>
public sealed class SlackEscalationJob(
    Database database, JobStore jobs, SlackIntegrationStore integrations, SlackMessages messages, SlackWebApi slack, IOptions<SlackOptions> options,
    TimeProvider time, ILogger<SlackEscalationJob> logger)
    : SlackSendJob(database, jobs, integrations, messages, options, time, logger)
{
    public override string Kind => SlackOutbox.EscalateKind;

    protected override async Task SendAsync(ClaimedJob job, SlackIntegration integration, SlackSecrets secrets, SlackMessages.Subject subject, CancellationToken ct)
    {
        var existing = await Messages.FindAsync(job.SubjectId, ct);
        if (existing?.Ts is null && await Messages.JobOpenAsync(SlackOutbox.PostKind, job.SubjectId, ct))
        {
            await WaitAsync(job);
            return;
        }

        if (job.StartedBefore > 0)
        {
            LogUnknown(Logger, Kind, job.SubjectId);
            await CompleteAsync(job, null);
            return;
        }

        var a = subject.Approval;
        var text = $"Escalated: approval `{a.Id}` (`{SlackApprovalMessage.Escape(a.ActionType)}` by {SlackApprovalMessage.Escape(a.AgentName)}) "
            + $"was not answered in time and now goes to the approver group *{SlackApprovalMessage.Escape(a.ApproverGroup ?? "any approver")}*.";
        var message = new JsonObject { ["channel"] = existing?.Channel ?? subject.PolicyChannel ?? integration.DefaultChannel, ["text"] = text };
        if (existing?.Ts is { } ts)
        {
            message["thread_ts"] = ts;
            message["reply_broadcast"] = true;
        }

        var answer = await slack.PostMessageAsync(secrets.BotToken, message, ct);
        if (!answer.Ok)
        {
            // One try only unless Slack surely did nothing; the message update and the timeline still say it escalated.
            await FailAsync(job, (existing?.State ?? SlackMessageRow.Failed, existing?.State ?? SlackMessageRow.Failed), 1, answer.Error, retry: false);
            return;
        }

        await CompleteAsync(job, null);
    }
}
