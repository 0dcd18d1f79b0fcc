using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>The two tables of one outbox of signed POSTs: its deliveries and their attempts.</summary>
public sealed record DeliveryTables(string Deliveries, string Attempts);

/// <summary>
/// Records one attempt of an outbox delivery (approval callbacks, event subscriptions) and moves the delivery on:
/// delivered, retried after the next of <see cref="CallbackDeliverer.RetryDelays"/>, or failed once they are spent.
/// </summary>
public static class DeliveryAttempts
{
    /// <returns>The delivery's status after this attempt.</returns>
    public static async Task<string> RecordAsync(Database database, DeliveryTables tables, string deliveryId, long attemptsBefore,
        DeliveryOutcome outcome, long now)
    {
        var attempt = attemptsBefore + 1;
        var delays = CallbackDeliverer.RetryDelays;
        var status = outcome.Delivered ? CallbackOutbox.Delivered : attempt > delays.Length ? CallbackOutbox.Failed : CallbackOutbox.Pending;
        var next = status == CallbackOutbox.Pending ? now + (long)delays[(int)attempt - 1].TotalMilliseconds : now;
        // Table names are the callers' constants, never input.
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                $"""
                INSERT INTO {tables.Attempts} (delivery_id, attempt, attempted_at, duration_ms, status_code, error)
                VALUES (@deliveryId, @attempt, @now, @DurationMs, @StatusCode, @Error)
                """, new { deliveryId, attempt, now, outcome.DurationMs, outcome.StatusCode, outcome.Error }, t);
            await c.ExecuteAsync(
                $"""
                UPDATE {tables.Deliveries} SET attempts = @attempt, status = @status, next_attempt_at = @next, last_status = @StatusCode,
                    last_error = @Error, delivered_at = @deliveredAt
                WHERE id = @deliveryId
                """, new { attempt, status, next, outcome.StatusCode, outcome.Error, deliveredAt = outcome.Delivered ? now : (long?)null, deliveryId }, t);
        }, CancellationToken.None);
        return status;
    }
}
