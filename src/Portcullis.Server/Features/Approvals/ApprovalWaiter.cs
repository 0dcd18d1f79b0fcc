using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Changes;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// Long-polls an approval without polling the store: reads it, then sleeps until the change feed says it changed (on any
/// instance), it falls due for expiry, or the wait runs out; then reads it once more. Serves
/// <c>GET /api/approvals/{id}?waitSeconds=N</c> and the MCP tool <c>portcullis_wait_for_approval</c>.
/// </summary>
public sealed class ApprovalWaiter(ApprovalQueries queries, ApprovalExpiry expiry, IChangeFeed changes, TimeProvider time)
{
    /// <summary>The approval once settled or when <paramref name="wait"/> has passed; null when the workspace has no such approval.</summary>
    public async Task<ApprovalRow?> WaitAsync(string id, string workspaceId, TimeSpan wait, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            // Watch before reading: a decision committed in between still wakes this wait.
            using var watch = changes.Watch(ChangeTopics.Approval, id);
            var row = await queries.FindAsync(id, workspaceId, ct);
            if (row is null)
            {
                return null;
            }

            if (row.IsDue(time.Now()))
            {
                await expiry.ExpireIfDueAsync(id, ct);
                continue;
            }

            var left = deadline - time.GetUtcNow();
            if (row.IsSettled || left <= TimeSpan.Zero)
            {
                return row;
            }

            // A pending approval may fall due before the wait ends: wake then to expire it (the sweeper may not have yet).
            var due = row.Status == ApprovalStatus.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt) - time.GetUtcNow() : left;
            await watch.WaitAsync(due < left ? due + TimeSpan.FromMilliseconds(1) : left, time, ct);
        }
    }
}
