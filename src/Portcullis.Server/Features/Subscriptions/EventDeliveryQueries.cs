using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>A subscription's recent deliveries, newest first, each with every attempt (status code, error, time).</summary>
public sealed class EventDeliveryQueries(Database database)
{
    public async Task<IReadOnlyList<EventDeliveryDto>> RecentAsync(string workspaceId, string subscriptionId, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var args = new { workspaceId, subscriptionId, limit };
        var deliveries = (await c.QueryAsync<DeliveryRow>(
            """
            SELECT id AS Id, event_id AS EventId, event_type AS EventType, subject AS Subject, status AS Status, attempts AS Attempts,
                   next_attempt_at AS NextAttemptAt, last_status AS LastStatus, last_error AS LastError, delivered_at AS DeliveredAt, created_at AS CreatedAt
            FROM event_deliveries WHERE subscription_id = @subscriptionId AND workspace_id = @workspaceId
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """, args)).ToList();
        if (deliveries.Count == 0)
        {
            return [];
        }

        var attempts = (await c.QueryAsync<AttemptRow>(
            """
            SELECT a.delivery_id AS DeliveryId, a.attempt AS Attempt, a.attempted_at AS AttemptedAt, a.duration_ms AS DurationMs, a.status_code AS StatusCode,
                   a.error AS Error
            FROM event_attempts a JOIN event_deliveries d ON d.id = a.delivery_id
            WHERE d.subscription_id = @subscriptionId AND d.workspace_id = @workspaceId AND d.created_at >= @oldest ORDER BY a.attempt
            """, new { subscriptionId, workspaceId, oldest = deliveries.Min(d => d.CreatedAt) })).ToLookup(a => a.DeliveryId);
        return deliveries.Select(d => d.ToDto(attempts[d.Id])).ToList();
    }

    private sealed class DeliveryRow
    {
        public string Id { get; init; } = "";
        public string EventId { get; init; } = "";
        public string EventType { get; init; } = "";
        public string? Subject { get; init; }
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public long NextAttemptAt { get; init; }
        public long? LastStatus { get; init; }
        public string? LastError { get; init; }
        public long? DeliveredAt { get; init; }
        public long CreatedAt { get; init; }

        public EventDeliveryDto ToDto(IEnumerable<AttemptRow> history) => new(
            Id, EventId, EventTypes.Prefix + EventType, Subject, Status, (int)Attempts, Status == EventOutbox.Pending ? Times.ToIso(NextAttemptAt) : null,
            (int?)LastStatus, LastError, Times.ToIso(DeliveredAt), Times.ToIso(CreatedAt),
            history.Select(a => new EventAttemptDto((int)a.Attempt, Times.ToIso(a.AttemptedAt), a.DurationMs, (int?)a.StatusCode, a.Error)).ToList());
    }

    private sealed class AttemptRow
    {
        public string DeliveryId { get; init; } = "";
        public long Attempt { get; init; }
        public long AttemptedAt { get; init; }
        public long DurationMs { get; init; }
        public long? StatusCode { get; init; }
        public string? Error { get; init; }
    }
}
