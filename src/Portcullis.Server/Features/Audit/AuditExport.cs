using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// <c>GET /api/audit/export?from&amp;to</c>: the caller's workspace chain as NDJSON, one entry a line with every field its
/// hash covers (times as stored, in unix ms, and details as the exact stored text), so <c>portcullis audit verify --file</c>
/// can recompute the chain with no access to the database. Streamed from one reader: memory stays flat.
/// </summary>
public static class AuditExport
{
    public const string ContentType = "application/x-ndjson";

    // The span is a contiguous run of seqs (first entry at or after `from` to last before `to`): a gap would break the chain.
    private const string Range =
        """
        SELECT COALESCE((SELECT MIN(seq) FROM audit_entries WHERE workspace_id = @ws AND occurred_at >= @from), @none),
               COALESCE((SELECT MAX(seq) FROM audit_entries WHERE workspace_id = @ws AND occurred_at < @to), 0)
        """;

    private const string Sql =
        """
        SELECT workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash, scheme, key_id, mac
        FROM audit_entries WHERE workspace_id = @ws AND seq >= @lo AND seq <= @hi ORDER BY seq
        """;

    public static async Task<IResult> Handle(HttpContext http, Database database, AuditChainer chainer, AuditKeys keys, string? from, string? to)
    {
        var errors = new FieldErrors();
        var fromMs = ParseTime(from, "from", long.MinValue, errors);
        var toMs = ParseTime(to, "to", long.MaxValue, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        var workspaceId = http.User.GetMember().WorkspaceId;
        await chainer.ChainAsync(workspaceId, http.RequestAborted);
        http.Response.ContentType = ContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{workspaceId}.ndjson\"";
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var (lo, hi) = await connection.QuerySingleAsync<(long, long)>(Range, new { ws = workspaceId, from = fromMs, to = toMs, none = long.MaxValue });
        // Each checkpoint rides on the line of the entry it signed; on a whole export, any past the last entry (a truncated
        // chain) ride on the last line, so the file shows the truncation too.
        var checkpoints = (await AuditCheckpoints.ReadAsync(database, workspaceId, http.RequestAborted, lo, to is null ? long.MaxValue : hi))
            .ToLookup(k => Math.Min(k.Seq, hi));
        await using var reader = await connection.ExecuteReaderAsync(Sql, new { ws = workspaceId, lo, hi });
        var body = http.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        long unflushed = 0;
        while (await reader.ReadAsync(http.RequestAborted))
        {
            AuditExportLine.Write(writer, reader, checkpoints[reader.GetInt64(1)].ToList(), keys.PublicKey);
            writer.Flush();
            body.Write("\n"u8);
            unflushed += writer.BytesCommitted + 1;
            writer.Reset(); // one root value a line
            if (unflushed > 64 * 1024)
            {
                await body.FlushAsync(http.RequestAborted);
                unflushed = 0;
            }
        }

        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        return Results.Empty;
    }

    private static long ParseTime(string? text, string field, long absent, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return absent;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUnixTimeMilliseconds();
        }

        errors.Add(field, $"`{text}` is not an ISO 8601 time (e.g. 2026-12-01T00:00:00Z)");
        return absent;
    }
}
