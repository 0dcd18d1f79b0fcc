using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// A workspace's event subscriptions: every change audited in its own transaction, every query scoped by workspace (another
/// workspace's id is simply not found).
/// </summary>
public sealed class EventSubscriptionStore(Database database, AuditTrail audit, EventOutbox outbox, IOptions<EventOptions> options, TimeProvider time)
{
    public enum Change { Done, NotFound, LimitReached }

    private const string Columns = "id AS Id, url AS Url, types AS Types, description AS Description, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<IReadOnlyList<EventSubscriptionDto>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<EventSubscriptionRow>($"SELECT {Columns} FROM event_subscriptions WHERE workspace_id = @workspaceId ORDER BY created_at, id",
            new { workspaceId });
        return rows.Select(r => r.ToDto()).ToList();
    }

    public async Task<EventSubscriptionDto?> FindAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<EventSubscriptionRow>($"SELECT {Columns} FROM event_subscriptions WHERE id = @id AND workspace_id = @workspaceId",
            new { id, workspaceId });
        return row?.ToDto();
    }

    public async Task<(Change Change, string? Id)> CreateAsync(string workspaceId, string userId, string url, IReadOnlyList<string> types,
        string? description, CancellationToken ct)
    {
        var id = Ids.New("esub", time);
        var now = time.Now();
        var change = await database.WriteAsync(async (c, t) =>
        {
            await LockTypesAsync(c, t, workspaceId);
            var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_subscriptions WHERE workspace_id = @workspaceId", new { workspaceId }, t);
            if (count >= options.Value.MaxSubscriptions)
            {
                return Change.LimitReached;
            }

            await c.ExecuteAsync(
                """
                INSERT INTO event_subscriptions (id, workspace_id, url, types, description, created_by, created_at, updated_at)
                VALUES (@id, @workspaceId, @url, @types, @description, @userId, @now, @now)
                """, new { id, workspaceId, url, types = EventTypes.Store(types), description, userId, now }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "event_subscription.created", "event_subscription", id,
                new { url = EventSubscriptionRow.MaskQuery(url), types });
            await StoreTypesAsync(c, t, workspaceId);
            return Change.Done;
        }, ct);
        return (change, change == Change.Done ? id : null);
    }

    public Task<Change> UpdateAsync(string workspaceId, string userId, string id, EventSubscriptionInput input, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            await LockTypesAsync(c, t, workspaceId);
            var updated = await c.ExecuteAsync(
                """
                UPDATE event_subscriptions SET url = COALESCE(@url, url), types = COALESCE(@types, types),
                    description = CASE WHEN @hasDescription = 1 THEN @description ELSE description END, updated_at = @now
                WHERE id = @id AND workspace_id = @workspaceId
                """,
                new
                {
                    url = input.Url,
                    types = input.Types is null ? null : EventTypes.Store(input.Types),
                    hasDescription = input.HasDescription ? 1 : 0,
                    description = input.Description,
                    now = time.Now(),
                    id,
                    workspaceId,
                }, t);
            if (updated == 0)
            {
                return Change.NotFound;
            }

            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "event_subscription.updated", "event_subscription", id,
                new { url = input.Url is null ? null : EventSubscriptionRow.MaskQuery(input.Url), types = input.Types });
            await StoreTypesAsync(c, t, workspaceId);
            return Change.Done;
        }, ct);

    /// <summary>Deletes the subscription with its delivery history; queued deliveries go with it, unsent.</summary>
    public Task<Change> DeleteAsync(string workspaceId, string userId, string id, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var args = new { id, workspaceId };
            await LockTypesAsync(c, t, workspaceId);
            await c.ExecuteAsync(
                """
                DELETE FROM event_attempts WHERE delivery_id IN
                    (SELECT d.id FROM event_deliveries d WHERE d.subscription_id = @id AND d.workspace_id = @workspaceId)
                """, args, t);
            await c.ExecuteAsync("DELETE FROM event_deliveries WHERE subscription_id = @id AND workspace_id = @workspaceId", args, t);
            if (await c.ExecuteAsync("DELETE FROM event_subscriptions WHERE id = @id AND workspace_id = @workspaceId", args, t) == 0)
            {
                return Change.NotFound;
            }

            await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "event_subscription.deleted", "event_subscription", id);
            await StoreTypesAsync(c, t, workspaceId);
            return Change.Done;
        }, ct);

    /// <summary>Queues a test event to one subscription; the delivery's id, or null when the subscription is not found.</summary>
    public Task<string?> SendTestAsync(string workspaceId, string userId, string id, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var known = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM event_subscriptions WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, t);
            return known == 0 ? null : await outbox.EnqueueTestAsync(c, t, workspaceId, id, userId);
        }, ct);

    // INVARIANT: workspaces.event_types holds every type the workspace's subscriptions ask for (EventOutbox trusts it to skip
    // reading them). Each change locks the workspace row before reading the subscriptions, so two concurrent changes cannot
    // each store a list missing the other's.
    private Task LockTypesAsync(DbConnection c, DbTransaction t, string workspaceId) => database.Dialect.LockRowAsync(c, t, "workspaces", workspaceId);

    private static async Task StoreTypesAsync(DbConnection c, DbTransaction t, string workspaceId)
    {
        var lists = await c.QueryAsync<string>("SELECT types FROM event_subscriptions WHERE workspace_id = @workspaceId ORDER BY id", new { workspaceId }, t);
        await c.ExecuteAsync("UPDATE workspaces SET event_types = @types WHERE id = @workspaceId", new { types = string.Concat(lists), workspaceId }, t);
    }
}

/// <summary>A row of <c>event_subscriptions</c>.</summary>
public sealed class EventSubscriptionRow
{
    public string Id { get; init; } = "";
    public string Url { get; init; } = "";
    public string Types { get; init; } = "";
    public string? Description { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    public EventSubscriptionDto ToDto() =>
        new(Id, MaskQuery(Url), EventTypes.Load(Types), Description, Times.ToIso(CreatedAt), Times.ToIso(UpdatedAt));

    // SECURITY: a receiver token in the query is shown as where, not what.
    public static string MaskQuery(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url : url[..query] + "?…";
    }
}
