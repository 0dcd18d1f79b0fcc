using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>
/// Queues the approval emails of one notification inside the transaction that causes it (the approval written, or
/// escalated): a row and a job per recipient, each with its own link token, so a committed approval always has its
/// emails queued and a rolled-back one never sends any. <see cref="EmailSender"/> sends them.
/// </summary>
public sealed class EmailOutbox(IOptions<EmailOptions> options, JobStore jobs, CredentialVault vault, TimeProvider time)
{
    public const string JobKind = "approval_email";
    public const string Requested = "requested";
    public const string Escalated = "escalated";

    /// <summary>Queues an email for each approver of the approval; nothing when email is not configured.</summary>
    public async Task QueueAsync(DbConnection c, DbTransaction t, string workspaceId, string approvalId, string? group, string reason)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var now = time.Now();
        foreach (var (userId, email) in await EmailRecipients.ForAsync(c, t, workspaceId, group))
        {
            var id = Ids.New("aem", time);
            var token = EmailTokens.New();
            await c.ExecuteAsync(
                """
                INSERT INTO approval_emails (id, workspace_id, approval_id, user_id, recipient, reason, token_hash, token_sealed, status, attempts, created_at)
                VALUES (@id, @workspaceId, @approvalId, @userId, @email, @reason, @hash, @sealed, 'queued', 0, @now)
                """,
                new { id, workspaceId, approvalId, userId, email, reason, hash = EmailTokens.Hash(token), @sealed = Seal(id, token), now }, t);
            await jobs.EnqueueAsync(c, t, workspaceId, JobKind, id, now);
        }
    }

    /// <summary>The queued email's token, for the sender; bound to the row's id, so a sealed token moved to another row does not open.</summary>
    public string OpenToken(string emailId, string sealedToken) =>
        vault.Open(AssociatedId(emailId), Portcullis.Connectors.Vault.SealedSecret.Parse(sealedToken))["token"];

    private string Seal(string emailId, string token) =>
        vault.Seal(AssociatedId(emailId), new Dictionary<string, string> { ["token"] = token }).ToCompactString();

    private static string AssociatedId(string emailId) => $"approval-email:{emailId}";
}
