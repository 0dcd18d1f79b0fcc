using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Answers a retry carrying an idempotency key that was seen before: the first answer byte for byte,
/// a 409 if the body differs, or — while the first request is still executing — its answer once ready.
/// </summary>
public static class IdempotentReplay
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<IResult?> FindAsync(Database database, string agentId, ActionRequestInput input, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Patience;
        var hash = input.Hash();
        while (true)
        {
            var stored = await database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null,
                "SELECT request_hash AS RequestHash, response AS Response FROM action_requests WHERE agent_id = @agentId AND idempotency_key = @key",
                r => r.GetRowParser<Stored>()(r), ("agentId", agentId), ("key", input.IdempotencyKey)), ct);

            if (stored is null)
            {
                return null;
            }

            if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
            {
                return Infrastructure.Http.Problems.Conflict("this idempotency key was used with a different request body");
            }

            if (stored.Response is not null)
            {
                return RequestAction.Json(stored.Response);
            }

            if (DateTime.UtcNow > deadline)
            {
                return Infrastructure.Http.Problems.Conflict("a request with this idempotency key is still being processed; retry shortly");
            }

            await Task.Delay(25, ct);
        }
    }

    private sealed class Stored
    {
        public byte[] RequestHash { get; init; } = [];
        public string? Response { get; init; }
    }
}
