using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Posts an approval's message (<c>chat.postMessage</c>) to its policy's channel or the workspace's default, and keeps the
/// channel id and <c>ts</c> Slack returns, so later jobs update it. INVARIANT: a post is never sent twice — Slack has no
/// idempotency key for it, so a post interrupted mid-send (this job reclaimed after a crash) is recorded <c>unknown</c>,
/// and only failures Slack surely did not act on (a refused connection, 429, an <c>ok: false</c> answer) are tried again.
/// </summary>
public sealed class SlackPostJob(
    Database database, JobStore jobs, SlackIntegrationStore integrations, SlackMessages messages, SlackWebApi slack, IOptions<SlackOptions> options,
    TimeProvider time, ILogger<SlackPostJob> logger)
    : SlackSendJob(database, jobs, integrations, messages, options, time, logger)
{
    public override string Kind => SlackOutbox.PostKind;

    protected override async Task SendAsync(ClaimedJob job, SlackIntegration integration, SlackSecrets secrets, SlackMessages.Subject subject, CancellationToken ct)
    {
        var existing = await Messages.FindAsync(job.SubjectId, ct);
        if (existing?.State is SlackMessageRow.Posted or SlackMessageRow.Unknown)
        {
            await CompleteAsync(job, null);
            return;
        }

        if (job.StartedBefore > 0)
        {
            LogUnknown(Logger, Kind, job.SubjectId);
            await CompleteAsync(job, (c, t) => Messages.RecordAsync(c, t, job.SubjectId, job.WorkspaceId, SlackMessageRow.Unknown, 1, "interrupted mid-send"));
            return;
        }

        var a = subject.Approval;
        var message = new JsonObject
        {
            ["channel"] = subject.PolicyChannel ?? integration.DefaultChannel,
            ["text"] = SlackApprovalMessage.Text(a, subject.DecidedByName),
            ["blocks"] = SlackApprovalMessage.Blocks(a, subject.DecidedByName),
            ["unfurl_links"] = false,
        };
        var answer = await slack.PostMessageAsync(secrets.BotToken, message, ct);
        if (answer.Ok)
        {
            await CompleteAsync(job, (c, t) => Messages.RecordAsync(c, t, job.SubjectId, job.WorkspaceId, SlackMessageRow.Posted, 0, null,
                answer.Text("channel"), answer.Text("ts")));
            return;
        }

        // Slack's own refusals that no retry can fix (a wrong channel, a revoked token) end at once.
        var permanent = answer.Error is "channel_not_found" or "not_in_channel" or "invalid_auth" or "account_inactive" or "token_revoked" or "is_archived";
        await FailAsync(job, (SlackMessageRow.Retrying, answer.NotSent ? SlackMessageRow.Failed : SlackMessageRow.Unknown), (existing?.Attempts ?? 0) + 1,
            answer.Error, retry: answer.NotSent && !permanent);
    }
}
