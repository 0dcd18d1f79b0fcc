using System.Collections.Frozen;
using Portcullis.Policies.Evaluation;
using Portcullis.Policies.Sets;

namespace Portcullis.Policies;

/// <summary>
/// A compiled set of policies, indexed by action type. Immutable and thread-safe; compile it once
/// when policies change and evaluate it for every action request.
/// </summary>
public sealed class PolicySet
{
    private const string NoMatchReason = "no policy matched; workspace default applies";

    private readonly FrozenDictionary<string, CandidateList> _byActionType;
    private readonly CandidateList _anyActionType;
    private readonly SlotTable _slots;
    private readonly PolicyEvaluation[] _noMatch;

    internal PolicySet(FrozenDictionary<string, CandidateList> byActionType, CandidateList anyActionType, SlotTable slots, int count)
    {
        _byActionType = byActionType;
        _anyActionType = anyActionType;
        _slots = slots;
        Count = count;
        UsesVelocity = anyActionType.VelocityEntries.Length > 0 || byActionType.Values.Any(c => c.VelocityEntries.Length > 0);

        // The no-match answers carry no per-request data, so one instance per default decision serves all.
        _noMatch = [.. Enumerable.Range(0, 4).Select(d => new PolicyEvaluation((PolicyDecision)d, NoMatchReason, null, [], []))];
    }

    /// <summary>Number of valid policies in the set, enabled or not.</summary>
    public int Count { get; }

    /// <summary>
    /// True when any candidate policy counts or sums earlier requests. Such figures are only exact if every request of the
    /// workspace is decided and recorded one at a time, so the server serialises decisions while this holds.
    /// </summary>
    public bool UsesVelocity { get; }

    /// <summary>Compiles policies; invalid ones are reported and left out, the rest still form a working set.</summary>
    public static PolicySetCompileResult Compile(IEnumerable<PolicyDefinition> policies) => PolicySetBuilder.Build(policies);

    /// <summary>
    /// The velocity figures the server must look up before <see cref="Evaluate"/> for this request:
    /// distinct queries of candidate policies (enabled, in scope, right action type) whose outcome
    /// depends on them. <c>SAME ACTION</c> queries carry <see cref="ActionContext.ActionType"/>.
    /// Returns an empty list without evaluating anything when no candidate uses velocity.
    /// </summary>
    public IReadOnlyList<VelocityQuery> VelocityQueriesFor(ActionContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var typed = CandidatesFor(ctx.ActionType);
        if (typed.VelocityEntries.Length == 0 && _anyActionType.VelocityEntries.Length == 0)
        {
            return [];
        }

        var frame = EvalFrame.Rent(ctx, null, _slots, collectVelocity: true);
        try
        {
            List<VelocityQuery>? needed = null;
            CollectQueries(typed.VelocityEntries, ctx.AgentId, frame, ref needed);
            CollectQueries(_anyActionType.VelocityEntries, ctx.AgentId, frame, ref needed);
            return needed is null ? [] : needed;
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>
    /// Decides an action request: evaluates every enabled, in-scope candidate policy; the most
    /// restrictive match wins, then the higher priority, then the lower id (ordinal). Never throws
    /// on request data; failed policies are reported in <see cref="PolicyEvaluation.Errors"/> and fail closed.
    /// </summary>
    /// <param name="ctx">The action request.</param>
    /// <param name="defaultDecision">The workspace default, used when no policy matches.</param>
    /// <param name="velocity">Values for the queries from <see cref="VelocityQueriesFor"/>; a missing one is an error for the policy that needs it.</param>
    public PolicyEvaluation Evaluate(ActionContext ctx, PolicyDecision defaultDecision, IReadOnlyDictionary<VelocityQuery, decimal>? velocity = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!PolicyDecisions.IsDefined(defaultDecision))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultDecision), defaultDecision, "not a policy decision");
        }

        var frame = EvalFrame.Rent(ctx, velocity, _slots);
        try
        {
            var errors = CandidateWalk.Run(CandidatesFor(ctx.ActionType).Items, _anyActionType.Items, ctx.AgentId, frame);
            return BuildResult(frame.Matches, errors, defaultDecision);
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>
    /// Evaluates each velocity-using policy with every velocity value unknown: when the rest of its
    /// condition decides it anyway, its queries are not needed.
    /// </summary>
    private static void CollectQueries(PolicyEntry[] entries, string? agentId, EvalFrame frame, ref List<VelocityQuery>? needed)
    {
        foreach (var entry in entries)
        {
            if (!entry.AppliesTo(agentId))
            {
                continue;
            }

            var collected = frame.CollectedQueries!;
            collected.Clear();
            if (Evaluator.Run(entry.Condition, frame) != Tri.Error)
            {
                continue;
            }

            foreach (var query in collected)
            {
                needed ??= [];
                if (!needed.Contains(query))
                {
                    needed.Add(query);
                }
            }
        }
    }

    private CandidateList CandidatesFor(string? actionType) =>
        actionType is not null && _byActionType.TryGetValue(actionType, out var list) ? list : CandidateList.Empty;

    private PolicyEvaluation BuildResult(PolicyEntryBuffer matches, List<PolicyError>? errors, PolicyDecision defaultDecision)
    {
        IReadOnlyList<PolicyError> errorList = errors is null ? Array.Empty<PolicyError>() : errors;
        if (matches.Count == 0)
        {
            return errors is null
                ? _noMatch[(int)defaultDecision]
                : new PolicyEvaluation(defaultDecision, NoMatchReason, null, [], errorList);
        }

        var matched = new MatchedPolicy[matches.Count];
        for (var k = 0; k < matched.Length; k++)
        {
            matched[k] = matches[k].Result;
        }

        var winner = matches[0];
        return new PolicyEvaluation(winner.Decision, winner.WinningReason, winner.Result, matched, errorList);
    }
}
