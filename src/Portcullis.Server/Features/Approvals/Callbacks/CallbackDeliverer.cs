using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// Sends queued callbacks: every due delivery is claimed with a lease (a guarded update, so two instances never
/// send the same attempt at once), posted, and its attempt recorded. Failures retry with exponential back-off
/// (1 s, 5 s, 30 s, 2 min, 10 min), then the delivery is marked failed.
/// </summary>
public sealed partial class CallbackDeliverer(
    Database database, SigningSecrets secrets, CallbackSender sender, IOptions<ApprovalOptions> options, TimeProvider time,
    ILogger<CallbackDeliverer> logger) : BackgroundService
{
    public static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>The first attempt and one after each retry delay.</summary>
    public static int MaxAttempts => RetryDelays.Length + 1;

    private TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.CallbackTimeoutSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.CallbackPollIntervalMs), time);
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
        List<Due> due;
        await using (var c = await database.OpenAsync(ct))
        {
            due = (await c.QueryAsync<Due>(
                """
                SELECT id AS Id, workspace_id AS WorkspaceId, event AS Event, url AS Url, body AS Body, attempts AS Attempts, next_attempt_at AS NextAttemptAt
                FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 20
                """, new { now })).ToList();
        }

        var claimed = new List<Due>();
        foreach (var d in due)
        {
            // INVARIANT: one sender per attempt. The lease outlasts the attempt's time-out; if this instance dies
            // mid-attempt, another one retries after the lease (so receivers may see a delivery twice: dedupe by id).
            var lease = now + (long)(Timeout + TimeSpan.FromSeconds(30)).TotalMilliseconds;
            var won = await database.WriteAsync((c, t) => c.ExecuteAsync(
                "UPDATE webhook_deliveries SET next_attempt_at = @lease WHERE id = @Id AND status = 'pending' AND next_attempt_at = @NextAttemptAt",
                new { lease, d.Id, d.NextAttemptAt }, t), ct);
            if (won == 1)
            {
                claimed.Add(d);
            }
        }

        await Task.WhenAll(claimed.Select(d => AttemptAsync(d, ct)));
    }

    private static readonly DeliveryTables Tables = new DeliveryTables("webhook_deliveries", "webhook_attempts");

    private async Task AttemptAsync(Due d, CancellationToken ct)
    {
        var secret = await secrets.GetOrCreateAsync(d.WorkspaceId, ct);
        var outcome = await sender.SendAsync(d.Id, d.Event, d.Url, d.Body, secret, Timeout, ct);
        var status = await DeliveryAttempts.RecordAsync(database, Tables, d.Id, d.Attempts, outcome, time.Now());
        if (status == CallbackOutbox.Failed)
        {
            LogDeliveryFailed(logger, d.Id, d.Attempts + 1, outcome.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback delivery pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback delivery {DeliveryId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string deliveryId, long attempts, string? error);

    private sealed class Due
    {
        public string Id { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string Event { get; init; } = "";
        public string Url { get; init; } = "";
        public string Body { get; init; } = "";
        public long Attempts { get; init; }
        public long NextAttemptAt { get; init; }
    }
}
