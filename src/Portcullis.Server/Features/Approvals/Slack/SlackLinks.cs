using System.Text.RegularExpressions;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Members' Slack identities (<c>slack_user_links</c>): a click in Slack decides as the member who linked that Slack user
/// id in this workspace. A Slack user id is linked to at most one member of a workspace.
/// </summary>
public sealed partial class SlackLinks(Database database, AuditTrail audit, TimeProvider time)
{
    public enum Change { Linked, Unlinked, Taken }

    /// <summary>Slack user ids: <c>U…</c> or <c>W…</c> (Enterprise Grid), upper-case letters and digits.</summary>
    public static bool IsUserId(string text) => UserIdPattern().IsMatch(text);

    public async Task<string?> FindAsync(string workspaceId, string userId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string?>(
            "SELECT slack_user_id FROM slack_user_links WHERE workspace_id = @workspaceId AND user_id = @userId", new { workspaceId, userId });
    }

    /// <summary>Links (or, with null, unlinks) the member's Slack user id.</summary>
    public Task<Change> SetAsync(string workspaceId, string userId, string? slackUserId, CancellationToken ct) => database.WriteAsync(async (c, t) =>
    {
        if (slackUserId is null)
        {
            await c.ExecuteAsync("DELETE FROM slack_user_links WHERE workspace_id = @workspaceId AND user_id = @userId", new { workspaceId, userId }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "slack_user.unlinked", "user", userId);
            return Change.Unlinked;
        }

        var holder = await c.QueryFirstOrDefaultAsync<string?>(
            "SELECT user_id FROM slack_user_links WHERE workspace_id = @workspaceId AND slack_user_id = @slackUserId", new { workspaceId, slackUserId }, t);
        if (holder is not null && holder != userId)
        {
            return Change.Taken;
        }

        await c.ExecuteAsync(
            """
            INSERT INTO slack_user_links (workspace_id, user_id, slack_user_id, linked_at) VALUES (@workspaceId, @userId, @slackUserId, @now)
            ON CONFLICT (workspace_id, user_id) DO UPDATE SET slack_user_id = @slackUserId, linked_at = @now
            """, new { workspaceId, userId, slackUserId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t);
        await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "slack_user.linked", "user", userId, new { slackUserId });
        return Change.Linked;
    }, ct);

    /// <summary>The member (user id, role, email) a Slack user decides as in a workspace; null when unlinked or no longer a member.</summary>
    public async Task<(string UserId, string Role, string Email)?> MemberOfAsync(string workspaceId, string slackUserId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<(string UserId, string Role, string Email)>(
            """
            SELECT m.user_id, m.role, u.email FROM slack_user_links l
            JOIN members m ON m.workspace_id = l.workspace_id AND m.user_id = l.user_id
            JOIN users u ON u.id = l.user_id
            WHERE l.workspace_id = @workspaceId AND l.slack_user_id = @slackUserId
            """, new { workspaceId, slackUserId });
        return row.UserId is null ? null : row;
    }

    [GeneratedRegex("^[UW][A-Z0-9]{2,30}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex UserIdPattern();
}
