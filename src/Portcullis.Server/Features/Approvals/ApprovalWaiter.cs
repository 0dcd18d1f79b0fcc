using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// Long-polls an approval: re-reads the store every <see cref="ApprovalOptions.LongPollIntervalMs"/> (so a decision on
/// any instance ends the wait), expiring it when due, until it settles or the wait runs out. Serves
/// <c>GET /api/approvals/{id}?waitSeconds=N</c> and the MCP tool <c>portcullis_wait_for_approval</c>.
/// </summary>
public sealed class ApprovalWaiter(ApprovalQueries queries, ApprovalExpiry expiry, IOptions<ApprovalOptions> options, TimeProvider time)
{
    /// <summary>The approval once settled or when <paramref name="wait"/> has passed; null when the workspace has no such approval.</summary>
    public async Task<ApprovalRow?> WaitAsync(string id, string workspaceId, TimeSpan wait, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + wait;
        var interval = TimeSpan.FromMilliseconds(options.Value.LongPollIntervalMs);
        while (true)
        {
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

            await Task.Delay(left < interval ? left : interval, time, ct);
        }
    }
}
