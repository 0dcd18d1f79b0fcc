using Portcullis.Policies.Evaluation;

namespace Portcullis.Policies.Sets;

/// <summary>
/// Evaluates the candidates of one request: the action type's list and the any-type list, merged by
/// rank so matches come out winner-first. Matches go to <see cref="EvalFrame.Matches"/>.
/// </summary>
internal static class CandidateWalk
{
    public static List<PolicyError>? Run(Candidate[] typed, Candidate[] any, string? agentId, EvalFrame frame)
    {
        var position = default(Position);
        List<PolicyError>? errors = null;
        while (true)
        {
            try
            {
                Walk(typed, any, agentId, frame, ref position, ref errors);
                return errors;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Safety net, outside the loop so the hot path carries no exception frame: a defect in
                // one policy's evaluation fails that policy closed and the walk resumes after it.
                var entry = position.FromTyped ? typed[position.Typed - 1].Entry : any[position.Any - 1].Entry;
                frame.ClearError();
                frame.Fail(DiagnosticCodes.EvaluationFailed, $"evaluation failed: {e.GetType().Name}");
                Record(entry, Tri.Error, frame, ref errors);
            }
        }
    }

    private static void Walk(Candidate[] typed, Candidate[] any, string? agentId, EvalFrame frame, ref Position position, ref List<PolicyError>? errors)
    {
        int i = position.Typed, j = position.Any;
        while (i < typed.Length || j < any.Length)
        {
            var fromTyped = j >= any.Length || (i < typed.Length && typed[i].Rank < any[j].Rank);
            ref readonly var candidate = ref fromTyped ? ref typed[i++] : ref any[j++];
            if (candidate.IsScoped && !candidate.Entry.AppliesTo(agentId))
            {
                continue;
            }

            position = new Position(i, j, fromTyped);

            // A failure inside a branch that did not decide the last policy may linger; clear it so
            // this policy reports its own first failure.
            if (frame.ErrorCode is not null)
            {
                frame.ClearError();
            }

            var outcome = AndNode.All(candidate.Conjuncts, frame);
            if (outcome != Tri.False)
            {
                Record(candidate.Entry, outcome, frame, ref errors);
            }
        }
    }

    /// <summary>A match is kept; a failure is reported and kept only for block and require_approval (fail closed).</summary>
    private static void Record(PolicyEntry entry, Tri outcome, EvalFrame frame, ref List<PolicyError>? errors)
    {
        if (outcome == Tri.Error)
        {
            errors ??= [];
            errors.Add(new PolicyError(entry.Id, entry.Name, frame.ErrorCode!, frame.ErrorMessage!));
            if (!entry.MatchesOnError)
            {
                return;
            }
        }

        frame.Matches.Add(entry);
    }

    /// <summary>Where the walk is: the next index of each list and which list the current candidate came from.</summary>
    private readonly record struct Position(int Typed, int Any, bool FromTyped);
}
