using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// What the three Slack jobs share: the connected app's secrets, the approval to show, and how a send ends — completed
/// with its result in one transaction, or given back to the queue after a failure Slack surely did not act on.
/// </summary>
public abstract partial class SlackSendJob(
    Database database, JobStore jobs, SlackIntegrationStore integrations, SlackMessages messages, IOptions<SlackOptions> options, TimeProvider time,
    ILogger logger) : IJobHandler
{
    public abstract string Kind { get; }

    protected SlackMessages Messages => messages;

    protected ILogger Logger => logger;

    protected SlackOptions Options => options.Value;

    public async Task RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var integration = await integrations.FindAsync(job.WorkspaceId, ct);
        var secrets = integration is null ? null : await integrations.SecretsAsync(job.WorkspaceId, ct);
        var subject = await messages.SubjectAsync(job.SubjectId, job.WorkspaceId, ct);
        if (integration is null || secrets is null || subject is null)
        {
            // Disconnected since (or the approval is gone): nothing to send.
            await CompleteAsync(job, null);
            return;
        }

        await SendAsync(job, integration, secrets, subject, ct);
    }

    protected abstract Task SendAsync(ClaimedJob job, SlackIntegration integration, SlackSecrets secrets, SlackMessages.Subject subject, CancellationToken ct);

    /// <summary>Completes the job, recording the message's new state in the same transaction when there is one.</summary>
    protected Task CompleteAsync(ClaimedJob job, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task>? record) =>
        database.WriteAsync(async (c, t) =>
        {
            // The result is recorded even if another instance took the job over meanwhile: what Slack answered is a fact.
            if (record is not null)
            {
                await record(c, t);
            }

            await jobs.CompleteAsync(c, t, job);
        }, CancellationToken.None);

    /// <summary>
    /// After a failed send: queued again with back-off (1 s, 2 s, 4 s …) while tries remain, else recorded as failed.
    /// <paramref name="attempts"/> counts the failed tries so far, this one included.
    /// </summary>
    protected async Task FailAsync(ClaimedJob job, (string Retrying, string Final) states, long attempts, string? error, bool retry)
    {
        LogSendFailed(logger, Kind, job.SubjectId, attempts, error);
        if (retry && attempts < options.Value.MaxAttempts)
        {
            var runAfter = time.GetUtcNow().ToUnixTimeMilliseconds() + (1000L << (int)Math.Min(attempts - 1, 10));
            await database.WriteAsync(async (c, t) =>
            {
                await messages.RecordAsync(c, t, job.SubjectId, job.WorkspaceId, states.Retrying, attempts, error);
                await jobs.RescheduleAsync(c, t, job, runAfter);
            }, CancellationToken.None);
            return;
        }

        await CompleteAsync(job, (c, t) => messages.RecordAsync(c, t, job.SubjectId, job.WorkspaceId, states.Final, attempts, error));
    }

    /// <summary>Gives the job back for a little while: what it depends on (the first post) has not happened yet.</summary>
    protected Task WaitAsync(ClaimedJob job) => database.WriteAsync(
        (c, t) => jobs.RescheduleAsync(c, t, job, time.GetUtcNow().ToUnixTimeMilliseconds() + 500), CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Kind} for approval {ApprovalId} failed (try {Attempts}): {Error}")]
    private static partial void LogSendFailed(ILogger logger, string kind, string approvalId, long attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack {Kind} for approval {ApprovalId} was interrupted mid-send; it is not sent again (Slack may or may not have it)")]
    protected static partial void LogUnknown(ILogger logger, string kind, string approvalId);
}
