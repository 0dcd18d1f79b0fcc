using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Approvals.Callbacks;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// Sends queued event deliveries, as <see cref="CallbackDeliverer"/> sends callbacks: each due delivery is claimed with a
/// guarded update (one sender per attempt across instances), posted to the subscription's current URL, and its attempt
/// recorded. Failures retry after 1 s, 5 s, 30 s, 2 min and 10 min, then the delivery is marked failed.
/// </summary>
public sealed partial class EventDeliverer(
    Database database, SigningSecrets secrets, EventSender sender, IOptions<EventOptions> options, TimeProvider time,
    ILogger<EventDeliverer> logger) : BackgroundService
{
    private TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollIntervalMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbException or VaultException or InvalidOperationException)
            {
                // A store or vault hiccup must not stop the host; the deliveries stay queued for the next pass.
                LogPassFailed(logger, ex);
            }
        }
    }

    public async Task DeliverDueAsync(CancellationToken ct)
    {
        var now = time.Now();
        var due = await database.ReadAsync(c => c.QueryAsync<Due>(
            """
            SELECT d.id AS Id, d.workspace_id AS WorkspaceId, d.event_type AS EventType, s.url AS Url, d.body AS Body, d.attempts AS Attempts,
                   d.next_attempt_at AS NextAttemptAt
            FROM event_deliveries d JOIN event_subscriptions s ON s.id = d.subscription_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now ORDER BY d.next_attempt_at, d.id LIMIT 20
            """, new { now }), ct);

        var claimed = new List<Due>();
        foreach (var d in due)
        {
            // INVARIANT: one sender per attempt. The lease outlasts the attempt's time-out; if this instance dies
            // mid-attempt, another one retries after the lease (receivers may see an event twice: dedupe by its id).
            var lease = now + (long)(Timeout + TimeSpan.FromSeconds(30)).TotalMilliseconds;
            var won = await database.WriteAsync((c, t) => c.ExecuteAsync(
                "UPDATE event_deliveries SET next_attempt_at = @lease WHERE id = @Id AND status = 'pending' AND next_attempt_at = @NextAttemptAt",
                new { lease, d.Id, d.NextAttemptAt }, t), ct);
            if (won == 1)
            {
                claimed.Add(d);
            }
        }

        await Task.WhenAll(claimed.Select(d => AttemptAsync(d, ct)));
    }

    private static readonly DeliveryTables Tables = new DeliveryTables("event_deliveries", "event_attempts");

    private async Task AttemptAsync(Due d, CancellationToken ct)
    {
        var secret = await secrets.GetOrCreateAsync(d.WorkspaceId, ct);
        var outcome = await sender.SendAsync(d.Id, d.EventType, d.Url, d.Body, secret, Timeout, ct);
        var status = await DeliveryAttempts.RecordAsync(database, Tables, d.Id, d.Attempts, outcome, time.Now());
        if (status == EventOutbox.Failed)
        {
            LogDeliveryFailed(logger, d.Id, d.Attempts + 1, outcome.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event delivery pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event delivery {DeliveryId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string deliveryId, long attempts, string? error);

    private sealed class Due
    {
        public string Id { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string EventType { get; init; } = "";
        public string Url { get; init; } = "";
        public string Body { get; init; } = "";
        public long Attempts { get; init; }
        public long NextAttemptAt { get; init; }
    }
}
