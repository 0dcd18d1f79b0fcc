using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// Queues an event for every subscription of the workspace that asked for its type, inside the transaction of the change
/// that causes it: a committed change always has its deliveries queued, a rolled-back one never does.
/// <see cref="EventDeliverer"/> sends them.
/// </summary>
public sealed class EventOutbox(TimeProvider time)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public Task EnqueueAsync(DbConnection c, DbTransaction t, string workspaceId, string type, string? subject, object data,
        string? subscribedTypes = null) =>
        EnqueueAsync(c, t, workspaceId, type, subject, () => Task.FromResult<object?>(data), subscribedTypes);

    /// <summary>
    /// As above, the data read only when someone subscribed. <paramref name="subscribedTypes"/> is the workspace's
    /// <c>event_types</c> as the caller read it with the agent's key at the start of the request, or null when not known.
    /// PERFORMANCE: the decision path calls this twice per request; with the types known, a workspace nobody subscribed to
    /// costs nothing here, and otherwise one indexed read that finds nothing. A subscription created while a request is
    /// under way applies from the next request, as a policy change does.
    /// </summary>
    public async Task EnqueueAsync(DbConnection c, DbTransaction t, string workspaceId, string type, string? subject, Func<Task<object?>> data,
        string? subscribedTypes = null)
    {
        if (subscribedTypes is not null && !subscribedTypes.Contains("," + type + ",", StringComparison.Ordinal))
        {
            return;
        }

        var subscriptions = await SubscribersAsync(c, t, workspaceId, type);
        if (subscriptions.Count == 0 || await data() is not { } payload)
        {
            return;
        }

        await InsertAsync(c, t, workspaceId, subscriptions, type, subject, payload);
    }

    /// <summary>Queues a <c>subscription.test</c> event for one subscription; returns the delivery's id.</summary>
    public async Task<string> EnqueueTestAsync(DbConnection c, DbTransaction t, string workspaceId, string subscriptionId, string? userId)
    {
        var ids = await InsertAsync(c, t, workspaceId, [subscriptionId], EventTypes.SubscriptionTest, subscriptionId,
            new { subscriptionId, message = "a test event sent from Portcullis", requestedBy = userId });
        return ids[0];
    }

    private static async Task<List<string>> SubscribersAsync(DbConnection c, DbTransaction t, string workspaceId, string type)
    {
        // `_` in a type is a LIKE wildcard too; harmless, since no two known types differ only where one has `_`.
        var pattern = "%," + type + ",%";
        var any = await PreparedSql.ScalarAsync(c, t,
            "SELECT id FROM event_subscriptions WHERE workspace_id = @ws AND types LIKE @pattern LIMIT 1", ("ws", workspaceId), ("pattern", pattern));
        if (any is null)
        {
            return [];
        }

        return (await c.QueryAsync<string>(
            "SELECT id FROM event_subscriptions WHERE workspace_id = @workspaceId AND types LIKE @pattern ORDER BY id",
            new { workspaceId, pattern }, t)).AsList();
    }

    private async Task<List<string>> InsertAsync(
        DbConnection c, DbTransaction t, string workspaceId, IReadOnlyList<string> subscriptionIds, string type, string? subject, object data)
    {
        var now = time.Now();
        // One event, one id: every subscription gets the same CloudEvent, so receivers can deduplicate by it.
        var body = CloudEvent.Of(Ids.New("evt", time), workspaceId, type, subject, data, now);
        var json = body.Serialize();
        var ids = new List<string>(subscriptionIds.Count);
        foreach (var subscriptionId in subscriptionIds)
        {
            var id = Ids.New("evd", time);
            ids.Add(id);
            await c.ExecuteAsync(
                """
                INSERT INTO event_deliveries (id, workspace_id, subscription_id, event_id, event_type, subject, body, status, attempts, next_attempt_at, created_at)
                VALUES (@id, @workspaceId, @subscriptionId, @eventId, @type, @subject, @json, 'pending', 0, @now, @now)
                """, new { id, workspaceId, subscriptionId, eventId = body.Id, type, subject, json, now }, t);
        }

        return ids;
    }
}
