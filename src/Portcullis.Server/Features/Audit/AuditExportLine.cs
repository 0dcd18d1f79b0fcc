using System.Data.Common;
using System.Text.Json;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// One line of an audit export: every field the entry's hash covers, exactly as stored, plus its chain fields
/// (<c>prevHash</c>, <c>hash</c>, lower-case hex). <c>occurredAt</c> is unix ms and <c>details</c> the stored JSON text:
/// the hash is over those exact values, so neither is reformatted.
/// </summary>
public static class AuditExportLine
{
    public static void Write(Utf8JsonWriter writer, DbDataReader row)
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
        writer.WriteEndObject();
    }

    /// <summary>Reads a line back; null (with the reason) when it is not a well-formed entry.</summary>
    public static AuditEntry? Read(string line, out string? error)
    {
        error = null;
        try
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            return new AuditEntry
            {
                WorkspaceId = e.GetProperty("workspaceId").GetString()!, Seq = e.GetProperty("seq").GetInt64(), Id = e.GetProperty("id").GetString()!,
                OccurredAt = e.GetProperty("occurredAt").GetInt64(), ActorType = e.GetProperty("actorType").GetString()!,
                ActorId = e.GetProperty("actorId").GetString()!, Action = e.GetProperty("action").GetString()!,
                TargetType = e.GetProperty("targetType").GetString()!, TargetId = e.GetProperty("targetId").GetString()!,
                Details = e.GetProperty("details").GetString()!,
                PrevHash = Convert.FromHexString(e.GetProperty("prevHash").GetString()!), Hash = Convert.FromHexString(e.GetProperty("hash").GetString()!),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            error = ex.Message;
            return null;
        }
    }
}
