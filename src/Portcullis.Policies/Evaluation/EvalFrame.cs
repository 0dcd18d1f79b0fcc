using Portcullis.Policies.Sets;

namespace Portcullis.Policies.Evaluation;

internal enum Tri : byte
{
    False,
    True,
    Error,
}

/// <summary>
/// Per-evaluation state: the request, velocity values, the operand slots and the first error.
/// One frame per thread is reused so evaluation does not allocate.
/// </summary>
internal sealed class EvalFrame
{
    [ThreadStatic]
    private static EvalFrame? t_spare;

    /// <summary>Predicate results are packed as (generation &lt;&lt; 2) | result, so the generation must fit 29 bits.</summary>
    private const int MaxGeneration = (1 << 29) - 1;

    private PathSlot[] _slots = new PathSlot[16];
    private int[] _predicates = new int[16];
    private readonly PolicyEntryBuffer _matches = new();
    private readonly List<VelocityQuery> _collected = [];

    public ActionContext Context { get; private set; } = null!;

    public IReadOnlyDictionary<VelocityQuery, decimal>? Velocity { get; private set; }

    /// <summary>Non-null while collecting velocity queries: velocity terms then record their query and count as unknown.</summary>
    public List<VelocityQuery>? CollectedQueries { get; private set; }

    public SlotTable Table { get; private set; } = null!;

    /// <summary>Current generation; a slot is resolved for this evaluation when its generation matches.</summary>
    public int Generation { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    public PathSlot[] Slots => _slots;

    /// <summary>Per-predicate results of this evaluation, see <see cref="PredicateNode"/>.</summary>
    public int[] Predicates => _predicates;

    public PolicyEntryBuffer Matches => _matches;

    /// <summary>Takes this thread's frame (or a new one if it is in use) and prepares it for one evaluation.</summary>
    public static EvalFrame Rent(ActionContext context, IReadOnlyDictionary<VelocityQuery, decimal>? velocity, SlotTable table, bool collectVelocity = false)
    {
        var frame = t_spare ?? new EvalFrame();
        t_spare = null;
        frame.Context = context;
        frame.Velocity = velocity;
        frame.Table = table;
        frame.CollectedQueries = collectVelocity ? frame._collected : null;
        frame.PrepareSlots(table.Count, table.PredicateCount);
        frame._matches.Clear();
        frame.ClearError();
        return frame;
    }

    public void Return()
    {
        // Drop references so a pooled frame does not keep the request alive. Slot values may still
        // point into the last request's JSON until the next evaluation overwrites them: at most one
        // request per thread, a bounded cost accepted to keep evaluation free of clearing work.
        Context = null!;
        Velocity = null;
        CollectedQueries = null;
        _collected.Clear();
        _matches.Clear();
        t_spare = this;
    }

    public void ClearError()
    {
        ErrorCode = null;
        ErrorMessage = null;
    }

    /// <summary>Records the first error of the current policy and returns <see cref="Tri.Error"/>.</summary>
    public Tri Fail(string code, string message)
    {
        if (ErrorCode is null)
        {
            ErrorCode = code;
            ErrorMessage = message;
        }

        return Tri.Error;
    }

    private void PrepareSlots(int valueCount, int predicateCount)
    {
        var grow = _slots.Length < valueCount || _predicates.Length < predicateCount;
        if (grow || Generation == MaxGeneration)
        {
            // INVARIANT: both arrays restart together with the generation, so no old entry can look current.
            _slots = grow ? new PathSlot[Math.Max(valueCount, _slots.Length * 2)] : _slots;
            _predicates = grow ? new int[Math.Max(predicateCount, _predicates.Length * 2)] : _predicates;
            Array.Clear(_slots);
            Array.Clear(_predicates);
            Generation = 0;
        }

        // INVARIANT: Generation starts at 1, so zeroed slots never look resolved.
        Generation++;
    }
}

internal struct PathSlot
{
    public int Generation;
    public Value Value;
}
