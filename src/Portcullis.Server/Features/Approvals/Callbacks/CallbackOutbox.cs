using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// Queues the callback that tells an agent how its approval ended. Written in the transaction that records the
/// outcome, so a committed outcome always has its delivery queued; <see cref="CallbackDeliverer"/> sends it.
/// </summary>
public sealed class CallbackOutbox(TimeProvider time)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Queues the approval object (the agent's view, as it stands in this transaction) when the request named a callback URL.</summary>
    public async Task EnqueueAsync(DbConnection c, DbTransaction t, string approvalId, string workspaceId, string status, long now)
    {
        var approval = await ApprovalQueries.FindAsync(c, approvalId, workspaceId, t);
        if (approval?.CallbackUrl is not { } url)
        {
            return;
        }

        var body = JsonSerializer.Serialize(approval.ToDto(), ActionAnswer.Json);
        await c.ExecuteAsync(
            """
            INSERT INTO webhook_deliveries (id, workspace_id, approval_id, event, url, body, status, attempts, next_attempt_at, created_at)
            VALUES (@id, @workspaceId, @approvalId, @eventName, @url, @body, 'pending', 0, @now, @now)
            """,
            new { id = Ids.New("dlv", time), workspaceId, approvalId, eventName = $"approval.{status}", url, body, now }, t);
    }
}
