namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Walks one workspace's chain in seq order, shared by the database verifier and the export verifier: contiguous seqs,
/// every link equal to the hash before it, every hash recomputed, every scheme-2 MAC checked (when the chain keys are at
/// hand), no legacy entry after a keyed one, and the chain passing through every signed checkpoint — including the last,
/// so removing entries from the end is found.
/// </summary>
/// <param name="fromGenesis">True for a whole chain (the database): it must begin at seq 1. An export window may begin later.</param>
internal sealed class ChainWalk(string workspaceId, Func<int, byte[]?>? chainKey, IEnumerable<AuditCheckpoint> checkpoints, byte[]? publicKey,
    bool fromGenesis = false)
{
    private readonly List<AuditCheckpoint> _checkpoints = [.. checkpoints];
    private readonly HashSet<long> _checkpointed = [.. checkpoints.Select(k => k.Seq)];
    // Reused across entries: verifying streams 100,000 entries without a buffer or writer per entry.
    private readonly System.Buffers.ArrayBufferWriter<byte> _canonical = new(1024);
    private readonly System.Text.Json.Utf8JsonWriter _writer = new(System.IO.Stream.Null, new System.Text.Json.JsonWriterOptions { SkipValidation = true });
    private readonly byte[] _computed = new byte[32];
    private byte[]? _last;
    private bool _keyedSeen;

    public string WorkspaceId => workspaceId;
    public long Entries { get; private set; }
    public long FirstSeq { get; private set; }
    public long HeadSeq { get; private set; }
    public byte[]? Anchor { get; private set; }
    public byte[]? Head => _last;
    public int CheckpointCount => _checkpoints.Count;

    /// <summary>Adds checkpoints met on the way (an export carries them on the lines of the entries they signed).</summary>
    public void Add(IReadOnlyList<AuditCheckpoint> more)
    {
        _checkpoints.AddRange(more);
        _checkpointed.UnionWith(more.Select(k => k.Seq));
    }
    public AuditVerifier.BadEntry? FirstBad { get; private set; }

    /// <summary>
    /// Checks an entry. <paramref name="typed"/> is false when the store held one of its values with another type than
    /// its column's (SQLite keeps whatever type it is given): reading would convert it, so the hash cannot see the change.
    /// </summary>
    public void Check(AuditEntry entry, bool typed = true)
    {
        Entries++;
        if (FirstBad is not null)
        {
            return;
        }

        FirstBad = Link(entry) ?? Content(entry, typed);
        if (FirstBad is null)
        {
            (_last, HeadSeq) = (entry.Hash, entry.Seq);
        }
    }

    private AuditVerifier.BadEntry? Link(AuditEntry entry)
    {
        if (_last is null)
        {
            // The first entry: at seq 1 it starts from the genesis hash; an export window starts from its anchor instead.
            (FirstSeq, Anchor) = (entry.Seq, entry.PrevHash);
            if (fromGenesis && entry.Seq != 1)
            {
                return Bad(entry, AuditVerifier.SeqGap, $"expected seq 1 but found {entry.Seq}: entries 1..{entry.Seq - 1} are missing");
            }

            return entry.Seq == 1 && !entry.PrevHash.AsSpan().SequenceEqual(AuditEntry.GenesisHash)
                ? Bad(entry, AuditVerifier.PrevHashMismatch, "the first entry does not start from the genesis hash")
                : null;
        }

        if (entry.Seq != HeadSeq + 1)
        {
            return Bad(entry, AuditVerifier.SeqGap, entry.Seq > HeadSeq + 1
                ? $"expected seq {HeadSeq + 1} but found {entry.Seq}: entries {HeadSeq + 1}..{entry.Seq - 1} are missing"
                : $"expected seq {HeadSeq + 1} but found {entry.Seq}");
        }

        return entry.PrevHash.AsSpan().SequenceEqual(_last) ? null
            : Bad(entry, AuditVerifier.PrevHashMismatch, $"prev_hash does not equal the hash of entry {HeadSeq}: an entry before it was changed, removed or reordered");
    }

    private AuditVerifier.BadEntry? Content(AuditEntry entry, bool typed)
    {
        if (!typed)
        {
            return Bad(entry, AuditVerifier.TypeMismatch, "a value is stored with another type than its column's (e.g. a number as text): the entry was edited");
        }

        if (entry.Scheme is not (AuditEntry.LegacyScheme or AuditEntry.KeyedScheme))
        {
            return Bad(entry, AuditVerifier.HashMismatch, $"unknown hash scheme {entry.Scheme}");
        }

        if (entry.Scheme == AuditEntry.LegacyScheme && _keyedSeen)
        {
            return Bad(entry, AuditVerifier.SchemeDowngrade, "an unkeyed (legacy) entry follows a keyed one: entries were rewritten without the chain key");
        }

        Canonical.Hash(_canonical, _writer, entry.Scheme, entry.PrevHash,
            [entry.WorkspaceId, entry.Id, entry.ActorType, entry.ActorId, entry.Action, entry.TargetType, entry.TargetId, entry.Details], entry.Seq, entry.OccurredAt,
            _computed);
        if (!_computed.AsSpan().SequenceEqual(entry.Hash))
        {
            return Bad(entry, AuditVerifier.HashMismatch, "the stored hash does not match the entry's content: the entry was edited or moved");
        }

        _keyedSeen |= entry.Scheme == AuditEntry.KeyedScheme;
        return Mac(entry) ?? AtCheckpoint(entry);
    }

    private AuditVerifier.BadEntry? Mac(AuditEntry entry)
    {
        if (entry.Scheme != AuditEntry.KeyedScheme || chainKey is null)
        {
            return null;
        }

        var key = entry.KeyId is { } version ? chainKey(version) : null;
        if (key is null)
        {
            return Bad(entry, AuditVerifier.MacMismatch, $"no chain key version {entry.KeyId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} in the key ring");
        }

        return entry.Mac is { } mac && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac, AuditEntry.ComputeMac(key, entry.Hash)) ? null
            : Bad(entry, AuditVerifier.MacMismatch, "the MAC does not match: the entry was written or rehashed without the chain key");
    }

    private AuditVerifier.BadEntry? AtCheckpoint(AuditEntry entry) =>
        !_checkpointed.Contains(entry.Seq) ? null : _checkpoints.FirstOrDefault(k => k.Seq == entry.Seq && !k.Hash.AsSpan().SequenceEqual(entry.Hash)) is not { } checkpoint ? null
            : Bad(entry, AuditVerifier.CheckpointMismatch, $"the hash differs from the one checkpoint {checkpoint.Id} signed for seq {entry.Seq}: the chain was rewritten");

    /// <summary>Ends the walk: checks every checkpoint's signature, and that none lies past the head.</summary>
    public void Finish(byte[]? key = null)
    {
        key ??= publicKey;
        if (FirstBad is not null)
        {
            return;
        }

        foreach (var checkpoint in _checkpoints)
        {
            if (key is not null && !checkpoint.SignedBy(key))
            {
                FirstBad = new(checkpoint.Seq, checkpoint.Id, AuditVerifier.CheckpointInvalid, $"checkpoint {checkpoint.Id} is not signed by the audit public key");
                return;
            }
        }

        if (_checkpoints.Count > 0 && _checkpoints.Max(k => k.Seq) is var last && last > HeadSeq)
        {
            FirstBad = new(HeadSeq + 1, null, AuditVerifier.Truncated,
                $"a signed checkpoint covers seq {last} but the chain ends at seq {HeadSeq}: entries were removed from its end");
        }
    }

    private static AuditVerifier.BadEntry Bad(AuditEntry entry, string reason, string detail) => new(entry.Seq, entry.Id, reason, detail);
}
