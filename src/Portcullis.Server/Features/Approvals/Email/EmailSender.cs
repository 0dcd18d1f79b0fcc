using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>
/// The job that sends one queued approval email. A refused or failed attempt retries with back-off (1 s, 5 s, 30 s, 2 min,
/// 10 min), then the email is marked failed. Once sent (or given up), the sealed token is erased: only its hash stays.
/// An email for an approval that is no longer pending is skipped. SMTP cannot be asked whether a message arrived, so a
/// crash between the relay's acceptance and the commit sends it again, with the same Message-ID.
/// </summary>
public sealed partial class EmailSender(
    Database database, JobStore jobs, EmailOutbox outbox, SmtpDelivery smtp, IOptions<EmailOptions> options, TimeProvider time,
    ILogger<EmailSender> logger) : IJobHandler
{
    public static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    public string Kind => EmailOutbox.JobKind;

    public async Task RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var (row, approval) = await LoadAsync(job);
        if (row is null || row.TokenSealed is null || row.Status != "queued")
        {
            await FinishAsync(job, row?.Id, row?.Status ?? "skipped", row?.Attempts ?? 0, null);
        }
        else if (approval is null || approval.Status != ApprovalStatus.Pending || !options.Value.Enabled)
        {
            await FinishAsync(job, row.Id, "skipped", row.Attempts, "the approval was no longer pending (or email was turned off)");
        }
        else if (!MimeKit.MailboxAddress.TryParse(row.Recipient, out _))
        {
            // Retrying would not make the address valid: give up at once (and not loop through lease recovery).
            await FinishAsync(job, row.Id, "failed", row.Attempts + 1, $"`{row.Recipient}` is not a valid email address");
        }
        else
        {
            await SendAsync(job, row, approval, ct);
        }
    }

    private async Task SendAsync(ClaimedJob job, EmailRow row, ApprovalRow approval, CancellationToken ct)
    {
        var link = $"{options.Value.PublicBaseUrl!.TrimEnd('/')}/approvals/email/{outbox.OpenToken(row.Id, row.TokenSealed!)}";
        var message = EmailMessage.Build(row.Id, options.Value.Smtp.From!, row.Recipient, row.Reason, EmailContent.Of(approval), link);
        var error = await smtp.SendAsync(message, ct);
        var attempts = row.Attempts + 1;
        if (error is null)
        {
            await FinishAsync(job, row.Id, "sent", attempts, null);
        }
        else if (attempts <= RetryDelays.Length)
        {
            await RetryAsync(job, row.Id, attempts, error);
        }
        else
        {
            LogGaveUp(logger, row.Id, attempts, error);
            await FinishAsync(job, row.Id, "failed", attempts, error);
        }
    }

    private async Task<(EmailRow? Row, ApprovalRow? Approval)> LoadAsync(ClaimedJob job)
    {
        await using var c = await database.OpenAsync(CancellationToken.None);
        var row = await c.QueryFirstOrDefaultAsync<EmailRow>(
            """
            SELECT id AS Id, approval_id AS ApprovalId, recipient AS Recipient, reason AS Reason, token_sealed AS TokenSealed, status AS Status,
                   attempts AS Attempts
            FROM approval_emails WHERE id = @SubjectId AND workspace_id = @WorkspaceId
            """, new { job.SubjectId, job.WorkspaceId });
        return (row, row is null ? null : await ApprovalQueries.FindAsync(c, row.ApprovalId, job.WorkspaceId));
    }

    /// <summary>Records the end state and completes the job in one transaction; the token is erased either way.</summary>
    private Task FinishAsync(ClaimedJob job, string? id, string status, long attempts, string? error) =>
        database.WriteAsync<bool>(async (c, t) =>
        {
            if (!await jobs.CompleteAsync(c, t, job))
            {
                return false;
            }

            await c.ExecuteAsync(
                """
                UPDATE approval_emails SET status = @status, attempts = @attempts, last_error = @error, token_sealed = NULL, sent_at = @sentAt
                WHERE id = @id
                """, new { status, attempts, error, sentAt = status == "sent" ? time.Now() : (long?)null, id }, t);
            return true;
        }, ok => ok, CancellationToken.None);

    private Task RetryAsync(ClaimedJob job, string id, long attempts, string error) =>
        database.WriteAsync<bool>(async (c, t) =>
        {
            var next = time.Now() + (long)RetryDelays[(int)attempts - 1].TotalMilliseconds;
            if (!await jobs.RescheduleAsync(c, t, job, next))
            {
                return false;
            }

            await c.ExecuteAsync("UPDATE approval_emails SET attempts = @attempts, last_error = @error WHERE id = @id", new { attempts, error, id }, t);
            return true;
        }, ok => ok, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approval email {EmailId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string emailId, long attempts, string error);

    private sealed class EmailRow
    {
        public string Id { get; init; } = "";
        public string ApprovalId { get; init; } = "";
        public string Recipient { get; init; } = "";
        public string Reason { get; init; } = "";
        public string? TokenSealed { get; init; }
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
    }
}
