namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Verifies an audit export offline (<c>portcullis audit verify --file</c>): every entry's hash recomputed, every
/// <c>prevHash</c> equal to the hash before it, seqs contiguous per workspace. An export that does not begin at seq 1 is
/// anchored at its first <c>prevHash</c>, reported so it can be compared with a head hash published earlier.
/// </summary>
public static class ExportVerifier
{
    public const string Malformed = "malformed";

    public sealed record WorkspaceReport(string WorkspaceId, bool Ok, long Entries, long FirstSeq, long HeadSeq, string? AnchorHash, string? HeadHash,
        AuditVerifier.BadEntry? FirstBad);

    public sealed record Report(bool Ok, long Entries, IReadOnlyList<WorkspaceReport> Workspaces, string? Error = null);

    public static async Task<Report> VerifyAsync(TextReader input, CancellationToken ct)
    {
        var chains = new Dictionary<string, Chain>(StringComparer.Ordinal);
        var lineNo = 0L;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (AuditExportLine.Read(line, out var error) is not { } entry)
            {
                return new Report(false, lineNo, [], $"line {lineNo} is not an audit entry: {error}");
            }

            if (!chains.TryGetValue(entry.WorkspaceId, out var chain))
            {
                chains[entry.WorkspaceId] = chain = new Chain(entry.WorkspaceId);
            }

            chain.Check(entry);
        }

        var reports = chains.Values.Select(c => c.ToReport()).OrderBy(r => r.WorkspaceId, StringComparer.Ordinal).ToList();
        return new Report(reports.Count > 0 && reports.All(r => r.Ok), reports.Sum(r => r.Entries), reports,
            reports.Count == 0 ? "the file holds no audit entries" : null);
    }

    private sealed class Chain(string workspaceId)
    {
        private long _entries;
        private long _firstSeq;
        private long _lastSeq;
        private byte[]? _anchor;
        private byte[]? _last;
        private AuditVerifier.BadEntry? _firstBad;

        public void Check(AuditEntry entry)
        {
            _entries++;
            if (_firstBad is not null)
            {
                return;
            }

            if (_last is null)
            {
                // The first entry of the export: at seq 1 its link must be the genesis hash; later, it is the anchor.
                (_firstSeq, _anchor) = (entry.Seq, entry.PrevHash);
                if (entry.Seq == 1 && !entry.PrevHash.AsSpan().SequenceEqual(AuditEntry.GenesisHash))
                {
                    _firstBad = new(entry.Seq, entry.Id, AuditVerifier.PrevHashMismatch, "the first entry does not start from the genesis hash");
                    return;
                }
            }
            else if (entry.Seq != _lastSeq + 1)
            {
                _firstBad = new(entry.Seq, entry.Id, AuditVerifier.SeqGap, $"expected seq {_lastSeq + 1} but found {entry.Seq}");
                return;
            }
            else if (!entry.PrevHash.AsSpan().SequenceEqual(_last))
            {
                _firstBad = new(entry.Seq, entry.Id, AuditVerifier.PrevHashMismatch, $"prevHash does not equal the hash of entry {_lastSeq}");
                return;
            }

            if (!entry.Recompute().AsSpan().SequenceEqual(entry.Hash))
            {
                _firstBad = new(entry.Seq, entry.Id, AuditVerifier.HashMismatch, "the hash does not match the entry's content: the entry was edited");
                return;
            }

            (_last, _lastSeq) = (entry.Hash, entry.Seq);
        }

        public WorkspaceReport ToReport() => new(workspaceId, _firstBad is null, _entries, _firstSeq, _lastSeq,
            _anchor is null ? null : AuditEntry.Hex(_anchor), _last is null ? null : AuditEntry.Hex(_last), _firstBad);
    }
}
