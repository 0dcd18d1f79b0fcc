namespace Portcullis.Policies.Evaluation;

internal static class Evaluator
{
    /// <summary>
    /// Runs one condition for one policy. The catch is a safety net, not control flow: the known
    /// failures (regex time-out, missing velocity) are already Tri.Error. Anything else is a defect,
    /// and for a governance engine the safe way to survive a defect is to fail closed.
    /// </summary>
    public static Tri Run(CondNode node, EvalFrame frame)
    {
        frame.ClearError();
        try
        {
            return node.Eval(frame);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return frame.Fail(DiagnosticCodes.EvaluationFailed, $"evaluation failed: {e.GetType().Name}");
        }
    }
}
