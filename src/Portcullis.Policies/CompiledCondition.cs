using Portcullis.Policies.Evaluation;

namespace Portcullis.Policies;

/// <summary>
/// A parsed and compiled condition, ready to evaluate many times. Immutable and safe to share
/// between threads.
/// </summary>
public sealed class CompiledCondition
{
    private readonly CondNode _root;
    private readonly SlotTable _slots;
    private readonly string[]? _actionTypes;

    /// <summary>The name <see cref="Fields"/> gives to velocity terms (<c>COUNT(…)</c>, <c>SUM(…)</c>), which read earlier requests.</summary>
    public const string VelocityField = "velocity";

    internal CompiledCondition(string text, CondNode root, string[]? actionTypes, SlotTable slots, bool usesVelocity, IReadOnlySet<string> fields)
    {
        Text = text;
        Fields = fields;
        _root = root;
        _actionTypes = actionTypes;
        _slots = slots;
        UsesVelocity = usesVelocity;
    }

    /// <summary>The condition text as written.</summary>
    public string Text { get; }

    /// <summary>
    /// The action types this condition can match, taken from top-level <c>action_type = X</c> /
    /// <c>action_type IN (…)</c> conjuncts; null when it can match any action type, empty when those
    /// conjuncts contradict each other.
    /// </summary>
    public IReadOnlyList<string>? ActionTypes => _actionTypes;

    /// <summary>
    /// The request fields the condition reads: fixed fields by name (<c>action_type</c>, <c>provider</c>, <c>agent.id</c>,
    /// <c>source</c>, …), JSON roots as <c>payload</c>, <c>evidence</c> or <c>context</c>, and <see cref="VelocityField"/>.
    /// A condition evaluated with exactly these fields known has the outcome it has for every request sharing them.
    /// </summary>
    public IReadOnlySet<string> Fields { get; }

    /// <summary>True when the condition contains <c>COUNT(…)</c> or <c>SUM(…)</c>.</summary>
    public bool UsesVelocity { get; }

    /// <summary>
    /// Evaluates the condition. Never throws on request data: a regex time-out or a missing velocity
    /// value gives a result with <see cref="ConditionEvaluation.IsError"/> set.
    /// </summary>
    public ConditionEvaluation Evaluate(ActionContext ctx, IReadOnlyDictionary<VelocityQuery, decimal>? velocity = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var frame = EvalFrame.Rent(ctx, velocity, _slots);
        try
        {
            return Evaluator.Run(_root, frame) switch
            {
                Tri.True => ConditionEvaluation.Match,
                Tri.False => ConditionEvaluation.NoMatch,
                _ => ConditionEvaluation.Failure(frame.ErrorCode!, frame.ErrorMessage!),
            };
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>
    /// The velocity figures this condition needs for <paramref name="ctx"/>: empty when it has no
    /// velocity term or when its other parts already decide it.
    /// </summary>
    public IReadOnlyList<VelocityQuery> VelocityQueriesFor(ActionContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!UsesVelocity)
        {
            return [];
        }

        var frame = EvalFrame.Rent(ctx, null, _slots, collectVelocity: true);
        try
        {
            var outcome = Evaluator.Run(_root, frame);
            return outcome == Tri.Error ? [.. frame.CollectedQueries!.Distinct()] : [];
        }
        finally
        {
            frame.Return();
        }
    }
}

/// <summary>The result of <see cref="CompiledCondition.Evaluate"/>.</summary>
/// <param name="IsMatch">True when the condition holds (false on error).</param>
/// <param name="ErrorCode">Set when evaluation failed, e.g. <c>regex_timeout</c>.</param>
/// <param name="ErrorMessage">Explains the failure.</param>
public readonly record struct ConditionEvaluation(bool IsMatch, string? ErrorCode, string? ErrorMessage)
{
    internal static ConditionEvaluation Match => new(true, null, null);

    internal static ConditionEvaluation NoMatch => new(false, null, null);

    /// <summary>True when evaluation failed; see <see cref="ErrorCode"/>.</summary>
    public bool IsError => ErrorCode is not null;

    internal static ConditionEvaluation Failure(string code, string message) => new(false, code, message);
}
