using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Rewrites an approval's message as it stands (<c>chat.update</c>): after the final decision — from any channel, or expiry —
/// who decided, when, through which channel and the outcome, without buttons; before it, the approvals so far. An update
/// is idempotent, so it is safely tried again after any failure. It waits for the first post while that is still to run.
/// </summary>
public sealed class SlackUpdateJob(
    Database database, JobStore jobs, SlackIntegrationStore integrations, SlackMessages messages, SlackWebApi slack, IOptions<SlackOptions> options,
    TimeProvider time, ILogger<SlackUpdateJob> logger)
    : SlackSendJob(database, jobs, integrations, messages, options, time, logger)
{
    public override string Kind => SlackOutbox.UpdateKind;

    protected override async Task SendAsync(ClaimedJob job, SlackIntegration integration, SlackSecrets secrets, SlackMessages.Subject subject, CancellationToken ct)
    {
        var existing = await Messages.FindAsync(job.SubjectId, ct);
        if (existing is not { State: SlackMessageRow.Posted, Channel: { } channel, Ts: { } ts })
        {
            // Not posted yet: wait for the post (which shows the latest state anyway); posted never: nothing to update.
            await (await Messages.JobOpenAsync(SlackOutbox.PostKind, job.SubjectId, ct) ? WaitAsync(job) : CompleteAsync(job, null));
            return;
        }

        var a = subject.Approval;
        var message = new JsonObject
        {
            ["channel"] = channel,
            ["ts"] = ts,
            ["text"] = SlackApprovalMessage.Text(a, subject.DecidedByName),
            ["blocks"] = SlackApprovalMessage.Blocks(a, subject.DecidedByName),
        };
        var answer = await slack.UpdateAsync(secrets.BotToken, message, ct);
        if (answer.Ok)
        {
            await CompleteAsync(job, (c, t) => Messages.RecordAsync(c, t, job.SubjectId, job.WorkspaceId, SlackMessageRow.Posted, 0, null));
            return;
        }

        var permanent = answer.Error is "message_not_found" or "channel_not_found" or "cant_update_message" or "invalid_auth" or "token_revoked";
        await FailAsync(job, (SlackMessageRow.Posted, SlackMessageRow.Posted), existing.Attempts + 1, answer.Error, retry: !permanent);
    }
}
