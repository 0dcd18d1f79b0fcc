using System.Data.Common;
using Dapper;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Queues the Slack side of an approval as jobs, inside the transaction that causes it, and only when the workspace has
/// a Slack app connected: the message when the approval is requested, its update after every decision (and expiry), and
/// the notice when it escalates. <see cref="SlackJobs"/> sends them.
/// </summary>
public static class SlackOutbox
{
    public const string PostKind = "slack.post";
    public const string UpdateKind = "slack.update";
    public const string EscalateKind = "slack.escalate";

    /// <summary>
    /// Queues the message of a new approval, and keeps the channel its policies chose: the <c>slackChannel</c> of the
    /// highest-priority matching approval policy that names one (ties: the lower id), else the workspace's default.
    /// </summary>
    public static async Task RequestedAsync(DbConnection c, DbTransaction t, DecidedAction a, string approvalId)
    {
        var ids = a.Evaluation.Matched.Where(m => m.Decision == PolicyDecision.RequireApproval)
            .OrderByDescending(m => m.Priority).ThenBy(m => m.Id, StringComparer.Ordinal).Select(m => m.Id).ToList();
        if (ids.Count > 0)
        {
            // Few policies name a channel: reading them all spares a dialect-specific IN list.
            var named = (await c.QueryAsync<(string Id, string Channel)>(
                "SELECT id, slack_channel FROM policies WHERE workspace_id = @WorkspaceId AND slack_channel IS NOT NULL",
                new { a.WorkspaceId }, t)).ToDictionary(p => p.Id, p => p.Channel, StringComparer.Ordinal);
            if (ids.FirstOrDefault(named.ContainsKey) is { } chosen)
            {
                await c.ExecuteAsync("UPDATE approvals SET slack_channel = @channel WHERE id = @approvalId", new { channel = named[chosen], approvalId }, t);
            }
        }

        await EnqueueAsync(c, t, PostKind, a.WorkspaceId, approvalId, a.CreatedAt, again: false);
    }

    /// <summary>An update is idempotent (it shows the approval as it stands), so a later decision queues it again.</summary>
    public static Task DecidedAsync(DbConnection c, DbTransaction t, string workspaceId, string approvalId, long now) =>
        EnqueueAsync(c, t, UpdateKind, workspaceId, approvalId, now, again: true);

    /// <summary>The notice naming the new group, and the message's update (its context line names the group).</summary>
    public static async Task EscalatedAsync(DbConnection c, DbTransaction t, string workspaceId, string approvalId, long now)
    {
        await EnqueueAsync(c, t, EscalateKind, workspaceId, approvalId, now, again: false);
        await EnqueueAsync(c, t, UpdateKind, workspaceId, approvalId, now, again: true);
    }

    private static Task EnqueueAsync(DbConnection c, DbTransaction t, string kind, string workspaceId, string approvalId, long now, bool again) =>
        c.ExecuteAsync(
            $"""
            INSERT INTO jobs (id, workspace_id, kind, subject_id, status, attempts, lease_owner, next_at, created_at, completed_at)
            SELECT @id, @workspaceId, @kind, @approvalId, 'pending', 0, NULL, @now, @now, NULL
            WHERE EXISTS (SELECT 1 FROM slack_integrations WHERE workspace_id = @workspaceId)
            ON CONFLICT (kind, subject_id) DO {(again
                ? "UPDATE SET status = 'pending', attempts = 0, lease_owner = NULL, next_at = @now, completed_at = NULL"
                : "NOTHING")}
            """, new { id = Ids.New("job"), workspaceId, kind, approvalId, now }, t);
}
