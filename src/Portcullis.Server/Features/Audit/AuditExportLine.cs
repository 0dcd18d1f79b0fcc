using System.Data.Common;
using System.Text.Json;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// One line of an audit export: every field the entry's hash covers, exactly as stored, plus its chain fields
/// (<c>prevHash</c>, <c>hash</c>, <c>mac</c> lower-case hex, <c>scheme</c>, <c>keyId</c>). <c>occurredAt</c> is unix ms and
/// <c>details</c> the stored JSON text: the hash is over those exact values, so neither is reformatted. Read back strictly:
/// a number written as a string (or the reverse) is a malformed line, not a value converted in silence.
/// </summary>
public static class AuditExportLine
{
    public static void Write(Utf8JsonWriter writer, DbDataReader row, IReadOnlyList<AuditCheckpoint> checkpoints, byte[] publicKey)
    {
        writer.WriteStartObject();
        writer.WriteString("workspaceId", row.GetString(0));
        writer.WriteNumber("seq", row.GetInt64(1));
        writer.WriteString("id", row.GetString(2));
        writer.WriteNumber("occurredAt", row.GetInt64(3));
        writer.WriteString("actorType", row.GetString(4));
        writer.WriteString("actorId", row.GetString(5));
        writer.WriteString("action", row.GetString(6));
        writer.WriteString("targetType", row.GetString(7));
        writer.WriteString("targetId", row.GetString(8));
        writer.WriteString("details", row.GetString(9));
        writer.WriteString("prevHash", Convert.ToHexStringLower(row.GetFieldValue<byte[]>(10)));
        writer.WriteString("hash", Convert.ToHexStringLower(row.GetFieldValue<byte[]>(11)));
        writer.WriteNumber("scheme", Convert.ToInt32(row.GetValue(12), System.Globalization.CultureInfo.InvariantCulture));
        if (row.IsDBNull(13))
        {
            writer.WriteNull("keyId");
            writer.WriteNull("mac");
        }
        else
        {
            writer.WriteNumber("keyId", Convert.ToInt32(row.GetValue(13), System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("mac", Convert.ToHexStringLower(row.GetFieldValue<byte[]>(14)));
        }

        if (checkpoints.Count > 0)
        {
            writer.WritePropertyName("checkpoints");
            JsonSerializer.Serialize(writer, checkpoints.Select(k => k.ToDto()).ToList(), Web);
            writer.WriteString("publicKey", Convert.ToBase64String(publicKey));
        }

        writer.WriteEndObject();
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A line's entry with the checkpoints it carries and the public key it names; no entry (with the reason) when malformed.</summary>
    public static (AuditEntry? Entry, List<AuditCheckpoint> Checkpoints, byte[]? PublicKey) Read(string line, out string? error)
    {
        error = null;
        try
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            var checkpoints = e.TryGetProperty("checkpoints", out var list)
                ? list.Deserialize<List<AuditCheckpoint.Dto>>(Web)!.Select(k => k.ToCheckpoint()).ToList()
                : [];
            var publicKey = e.TryGetProperty("publicKey", out var key) ? Convert.FromBase64String(key.GetString()!) : null;
            // Exports made before the keyed chain have no scheme: their entries are all legacy.
            var keyed = e.TryGetProperty("scheme", out var scheme);
            return (new AuditEntry
            {
                WorkspaceId = e.GetProperty("workspaceId").GetString()!,
                Seq = e.GetProperty("seq").GetInt64(),
                Id = e.GetProperty("id").GetString()!,
                OccurredAt = e.GetProperty("occurredAt").GetInt64(),
                ActorType = e.GetProperty("actorType").GetString()!,
                ActorId = e.GetProperty("actorId").GetString()!,
                Action = e.GetProperty("action").GetString()!,
                TargetType = e.GetProperty("targetType").GetString()!,
                TargetId = e.GetProperty("targetId").GetString()!,
                Details = e.GetProperty("details").GetString()!,
                PrevHash = Convert.FromHexString(e.GetProperty("prevHash").GetString()!),
                Hash = Convert.FromHexString(e.GetProperty("hash").GetString()!),
                Scheme = keyed ? scheme.GetInt32() : AuditEntry.LegacyScheme,
                KeyId = keyed && e.GetProperty("keyId").ValueKind != JsonValueKind.Null ? e.GetProperty("keyId").GetInt32() : null,
                Mac = keyed && e.GetProperty("mac").ValueKind != JsonValueKind.Null ? Convert.FromHexString(e.GetProperty("mac").GetString()!) : null,
            }, checkpoints, publicKey);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException
            or NotSupportedException)
        {
            error = ex.Message;
            return (null, [], null);
        }
    }
}
