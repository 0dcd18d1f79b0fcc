using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.Runs;

/// <summary>One validated agent event, ready to store.</summary>
public sealed class IncomingEvent(string eventType, long sequenceNo, string? payload, long? occurredAt)
{
    public string EventType { get; } = eventType;
    public long SequenceNo { get; } = sequenceNo;
    public string? Payload { get; } = payload;

    /// <summary>As the agent sent it; null means "when the server received it".</summary>
    public long? OccurredAt { get; } = occurredAt;

    /// <summary>
    /// What makes two sends "the same event": type, payload and the agent's own timestamp. A retry of
    /// the same event hashes equal and is a no-op; the same sequence number with other content is a conflict.
    /// Computed when the event is parsed, outside the (single) SQLite writer.
    /// </summary>
    public byte[] ContentHash { get; } = Hash(eventType, payload, occurredAt);

    private static byte[] Hash(string eventType, string? payload, long? occurredAt)
    {
        // eventType \0 payload \0 occurredAt, UTF-8, hashed from one pooled buffer.
        var max = Encoding.UTF8.GetMaxByteCount(eventType.Length + (payload?.Length ?? 0)) + 24;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(eventType, buffer);
            buffer[length++] = 0;
            if (payload is not null)
            {
                length += Encoding.UTF8.GetBytes(payload, buffer.AsSpan(length));
            }

            buffer[length++] = 0;
            if (occurredAt is { } at)
            {
                at.TryFormat(buffer.AsSpan(length), out var written, provider: CultureInfo.InvariantCulture);
                length += written;
            }

            return SHA256.HashData(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
