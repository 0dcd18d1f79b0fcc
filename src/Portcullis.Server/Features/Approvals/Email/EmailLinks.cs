using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>A recipient's link as found by its token: the approval it opens and the member it acts as.</summary>
public sealed record EmailLink(string Id, string WorkspaceId, string UserId, string Recipient, long? UsedAt, string? UsedDecision, ApprovalRow Approval,
    Role? Role)
{
    /// <summary>The recipient as the decision use case knows members; null when they no longer may decide approvals.</summary>
    public Member? Member => Role is { } role && role >= Workspaces.Role.Approver ? new Member(UserId, WorkspaceId, role, TokenId: "email:" + Id, Recipient) : null;
}

/// <summary>Finds links by token and spends them. Each link is good for one decision.</summary>
public sealed class EmailLinks(Database database, TimeProvider time)
{
    public async Task<EmailLink?> FindAsync(string token, CancellationToken ct)
    {
        if (!EmailTokens.IsWellFormed(token))
        {
            return null;
        }

        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<(string Id, string WorkspaceId, string ApprovalId, string UserId, string Recipient, long? UsedAt,
            string? UsedDecision)>(
            """
            SELECT id, workspace_id, approval_id, user_id, recipient, used_at, used_decision FROM approval_emails WHERE token_hash = @hash
            """, new { hash = EmailTokens.Hash(token) });
        if (row.Id is null || await ApprovalQueries.FindAsync(c, row.ApprovalId, row.WorkspaceId) is not { } approval)
        {
            return null;
        }

        var role = await c.QueryFirstOrDefaultAsync<string?>("SELECT role FROM members WHERE workspace_id = @WorkspaceId AND user_id = @UserId",
            new { row.WorkspaceId, row.UserId });
        return new EmailLink(row.Id, row.WorkspaceId, row.UserId, row.Recipient, row.UsedAt, row.UsedDecision, approval,
            Roles.TryParse(role, out var parsed) ? parsed : null);
    }

    /// <summary>
    /// Spends the link for a decision. INVARIANT: one decision per link — the guarded update elects exactly one of two
    /// concurrent posts of the same link.
    /// </summary>
    public async Task<bool> ClaimAsync(string id, string decision) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE approval_emails SET used_at = @now, used_decision = @decision WHERE id = @id AND used_at IS NULL",
            new { now = time.Now(), decision, id }, t), CancellationToken.None) == 1;

    /// <summary>Gives the link back when the decision changed nothing that a later try could not do (the agent was frozen, …).</summary>
    public Task ReleaseAsync(string id) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE approval_emails SET used_at = NULL, used_decision = NULL WHERE id = @id", new { id }, t), CancellationToken.None);
}
