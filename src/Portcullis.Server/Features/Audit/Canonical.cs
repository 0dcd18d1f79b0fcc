using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// The bytes an audit link hashes: 0x00, the previous hash, then the entry as a JSON array. Scheme 1 (legacy) is
/// <c>[ws, seq, id, occurredAt, actorType, actorId, action, targetType, targetId, details]</c>; scheme 2 puts the tag
/// <c>"portcullis-audit/v2"</c> first, so a v2 entry can never be passed off as a v1 one (or the reverse). Numbers are
/// JSON numbers and text JSON strings in both: a value that changes type changes the bytes.
/// </summary>
internal static class Canonical
{
    public const string V2Tag = "portcullis-audit/v2";

    /// <summary>
    /// Writes and hashes into <paramref name="hash"/>. <paramref name="text"/> is ws, id, actorType, actorId, action,
    /// targetType, targetId, details, in that order; buffers are the caller's so a verifier reuses them across rows.
    /// </summary>
    public static void Hash(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, int scheme, ReadOnlySpan<byte> prevHash,
        ReadOnlySpan<string> text, long seq, long occurredAt, Span<byte> hash)
    {
        buffer.ResetWrittenCount();
        buffer.Write([(byte)0x00]);
        buffer.Write(prevHash);
        writer.Reset(buffer);
        writer.WriteStartArray();
        if (scheme != AuditEntry.LegacyScheme)
        {
            writer.WriteStringValue(V2Tag);
        }

        writer.WriteStringValue(text[0]);
        writer.WriteNumberValue(seq);
        writer.WriteStringValue(text[1]);
        writer.WriteNumberValue(occurredAt);
        for (var i = 2; i < text.Length; i++)
        {
            writer.WriteStringValue(text[i]);
        }

        writer.WriteEndArray();
        writer.Flush();
        SHA256.HashData(buffer.WrittenSpan, hash);
    }
}
