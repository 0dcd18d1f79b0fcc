using System.Collections.Frozen;
using Portcullis.Policies.Evaluation;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Sets;

/// <summary>Validates and compiles policy definitions, ranks them and builds the action-type index.</summary>
internal static class PolicySetBuilder
{
    public static PolicySetCompileResult Build(IEnumerable<PolicyDefinition> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var diagnostics = new Dictionary<string, IReadOnlyList<Diagnostic>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = new List<(PolicyDefinition Policy, Expr Tree)>();

        foreach (var policy in policies)
        {
            if (policy is null)
            {
                throw new ArgumentException("the policy list contains null", nameof(policies));
            }

            var id = policy.Id ?? "";
            var problems = CheckDefinition(policy, seen);
            var (tree, parseProblems) = PolicyCondition.ParseTree(policy.Condition);
            problems.AddRange(parseProblems);
            if (problems.Count > 0 || tree is null)
            {
                diagnostics[id] = diagnostics.TryGetValue(id, out var earlier) ? [.. earlier, .. problems] : problems;
                continue;
            }

            valid.Add((policy, tree));
        }

        // Compile grouped by action type, in precedence order within a type: the nodes of one
        // candidate list are then allocated side by side, which large sets notice in cache misses.
        var slots = new SlotTable();
        var entries = valid
            .Where(v => v.Policy.Enabled)
            .Select(v => (v.Policy, Split: ActionTypeIndex.Split(v.Tree)))
            .OrderBy(v => v.Split.ActionTypes is [var first, ..] ? first : "\uffff", StringComparer.Ordinal)
            .ThenByDescending(v => v.Policy.Decision)
            .ThenByDescending(v => v.Policy.Priority)
            .ThenBy(v => v.Policy.Id, StringComparer.Ordinal)
            .Select(v => CompileEntry(v.Policy, v.Split.ActionTypes, v.Split.Residual, slots))
            .ToList();

        return new PolicySetCompileResult(Index(entries, slots, valid.Count), diagnostics);
    }

    /// <summary>Compiles only the residual: for a candidate, the action-type conjuncts are already true.</summary>
    private static PolicyEntry CompileEntry(PolicyDefinition policy, string[]? actionTypes, Expr? residual, SlotTable slots)
    {
        var compiler = new Compiler(slots, actionTypes is [var only] ? only : null);
        var condition = residual is null ? ConstCondNode.True : compiler.Compile(residual);
        return new PolicyEntry(policy, condition, actionTypes, compiler.VelocityNodes.Count > 0);
    }

    private static List<Diagnostic> CheckDefinition(PolicyDefinition policy, HashSet<string> seen)
    {
        var problems = new List<Diagnostic>();
        if (string.IsNullOrWhiteSpace(policy.Id))
        {
            problems.Add(PolicyProblem(DiagnosticCodes.InvalidPolicy, "policy id is empty"));
        }
        else if (!seen.Add(policy.Id))
        {
            problems.Add(PolicyProblem(DiagnosticCodes.DuplicatePolicyId, $"policy id `{policy.Id}` is used by more than one policy; only the first is kept"));
        }

        if (string.IsNullOrWhiteSpace(policy.Name))
        {
            problems.Add(PolicyProblem(DiagnosticCodes.InvalidPolicy, "policy name is empty"));
        }

        if (!PolicyDecisions.IsDefined(policy.Decision))
        {
            problems.Add(PolicyProblem(DiagnosticCodes.InvalidPolicy, $"decision `{(int)policy.Decision}` is not one of allow, allow_with_alert, require_approval, block"));
        }

        if (policy.ApprovalsRequired < 1)
        {
            problems.Add(PolicyProblem(DiagnosticCodes.InvalidPolicy, $"approvals required must be at least 1, found `{policy.ApprovalsRequired}`"));
        }

        return problems;
    }

    private static Diagnostic PolicyProblem(string code, string message) => new(code, message, 0, 0, 0, "");

    /// <summary>Ranks entries by precedence and files each under its action types (or under "any").</summary>
    private static PolicySet Index(List<PolicyEntry> entries, SlotTable slots, int count)
    {
        // Precedence: most restrictive decision, then higher priority, then lower id (ordinal).
        var ranked = entries
            .OrderByDescending(e => e.Decision)
            .ThenByDescending(e => e.Result.Priority)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();

        var byType = new Dictionary<string, List<PolicyEntry>>(StringComparer.Ordinal);
        var any = new List<PolicyEntry>();
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var entry = ranked[rank];
            entry.Rank = rank;
            if (entry.ActionTypes is null)
            {
                any.Add(entry);
                continue;
            }

            // INVARIANT: entries are visited in rank order, so every list stays sorted by rank.
            foreach (var type in entry.ActionTypes)
            {
                if (!byType.TryGetValue(type, out var list))
                {
                    byType[type] = list = [];
                }

                list.Add(entry);
            }
        }

        var index = byType.ToFrozenDictionary(kv => kv.Key, kv => new CandidateList(kv.Value, slots), StringComparer.Ordinal);
        return new PolicySet(index, new CandidateList(any, slots), slots, count);
    }
}
