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
    /// </summary>
    // Computed when the event is parsed, outside the (single) SQLite writer.
    public byte[] ContentHash { get; } = Hash(eventType, payload, occurredAt);

    private static byte[] Hash(string eventType, string? payload, long? occurredAt)
    {
        var text = string.Concat(eventType, "\u0000", payload ?? "", "\u0000", occurredAt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }
}
