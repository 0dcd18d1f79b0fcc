namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Verifies an audit export offline (<c>portcullis audit verify --file</c>): seqs contiguous per workspace, every
/// <c>prevHash</c> equal to the hash before it, every hash recomputed, and the chain passing through every signed
/// checkpoint the lines carry (signatures checked with the public key given, else the one the file names, which proves
/// less). Without the chain keys the MACs are not checked: docs/audit.md says what that leaves undetected. An export that
/// does not begin at seq 1 is anchored at its first <c>prevHash</c>, reported so it can be compared with a checkpoint.
/// </summary>
public static class ExportVerifier
{
    public const string Malformed = "malformed";

    public sealed record WorkspaceReport(string WorkspaceId, bool Ok, long Entries, long FirstSeq, long HeadSeq, string? AnchorHash, string? HeadHash,
        AuditVerifier.BadEntry? FirstBad, long Checkpoints = 0);

    /// <summary><c>PublicKeySource</c>: <c>given</c>, <c>file</c> (the key the export names) or <c>none</c> (no checkpoints to check).</summary>
    public sealed record Report(bool Ok, long Entries, IReadOnlyList<WorkspaceReport> Workspaces, string? Error = null, string PublicKeySource = "none",
        bool MacsChecked = false);

    /// <param name="anchored">Checkpoints published outside Portcullis (e.g. <c>--checkpoint</c>): the export must reach and match them.</param>
    public static async Task<Report> VerifyAsync(TextReader input, CancellationToken ct, byte[]? publicKey = null, IReadOnlyList<AuditCheckpoint>? anchored = null)
    {
        var source = publicKey is null ? "none" : "given";
        var walks = new Dictionary<string, ChainWalk>(StringComparer.Ordinal);
        var lineNo = 0L;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (entry, checkpoints, named) = AuditExportLine.Read(line, out var error);
            if (entry is null)
            {
                return new Report(false, lineNo, [], $"line {lineNo} is not an audit entry: {error}", source);
            }

            if (publicKey is null && named is not null)
            {
                (publicKey, source) = (named, "file");
            }

            if (!walks.TryGetValue(entry.WorkspaceId, out var walk))
            {
                var mine = anchored?.Where(k => string.Equals(k.WorkspaceId, entry.WorkspaceId, StringComparison.Ordinal)) ?? [];
                walks[entry.WorkspaceId] = walk = new ChainWalk(entry.WorkspaceId, null, mine, null);
            }

            walk.Add(checkpoints);
            walk.Check(entry);
        }

        var reports = walks.Values.Select(w => ToReport(w, publicKey)).OrderBy(r => r.WorkspaceId, StringComparer.Ordinal).ToList();
        return new Report(reports.Count > 0 && reports.All(r => r.Ok), reports.Sum(r => r.Entries), reports,
            reports.Count == 0 ? "the file holds no audit entries" : null, source);
    }

    private static WorkspaceReport ToReport(ChainWalk walk, byte[]? publicKey)
    {
        walk.Finish(publicKey);
        return new(walk.WorkspaceId, walk.FirstBad is null, walk.Entries, walk.FirstSeq, walk.HeadSeq, walk.Anchor is null ? null : AuditEntry.Hex(walk.Anchor),
            walk.Head is null ? null : AuditEntry.Hex(walk.Head), walk.FirstBad, walk.CheckpointCount);
    }
}
