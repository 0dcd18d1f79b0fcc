using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Portcullis.Server.Features.Dashboard.Approvals;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Live;

/// <summary>
/// <c>GET /dashboard/approvals/live</c>: the pending queue as Server-Sent Events. Each time the set of
/// pending approvals changes (the change feed says when, from any instance), one <c>queue</c> event carries the re-rendered rows and a <c>count</c> event the new total.
/// </summary>
public static class ApprovalStream
{
    public static IResult Handle(HttpContext http, Database database, IChangeFeed changes, TimeProvider time, IHostApplicationLifetime lifetime) =>
        TypedResults.ServerSentEvents(StreamAsync(database, changes, time, http.User.GetMember().WorkspaceId, http.Request.Query["seen"].ToString(),
            LiveLoop.Link(http, lifetime)));

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(Database database, IChangeFeed changes, TimeProvider time, string workspaceId,
        string seen, CancellationTokenSource stop, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var _ = stop;
        while (true)
        {
            // Watch before reading, so an approval added or settled meanwhile still wakes the stream.
            using var watch = changes.Watch(ChangeTopics.PendingApprovals, workspaceId);
            var pending = await ApprovalView.PendingAsync(database, workspaceId, time.Now(), CancellationToken.None);
            var fingerprint = Fingerprint(pending);
            if (fingerprint != seen)
            {
                seen = fingerprint;
                yield return new SseItem<string>(ApprovalQueueHtml.Rows(pending), "queue");
                yield return new SseItem<string>(pending.Count.ToString(CultureInfo.InvariantCulture), "count");
            }

            if (!await LiveLoop.WaitAsync(watch, time, stop.Token))
            {
                yield break;
            }
        }
    }

    /// <summary>Identifies the queue's content; the page sends the one it rendered, so an unchanged queue is not re-sent.</summary>
    public static string Fingerprint(IEnumerable<ApprovalView> pending) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join(',', pending.Select(p => p.Id)))))[..16];
}
