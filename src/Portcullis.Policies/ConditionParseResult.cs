namespace Portcullis.Policies;

/// <summary>The result of <see cref="PolicyCondition.Parse(string)"/>.</summary>
public sealed class ConditionParseResult
{
    internal ConditionParseResult(IReadOnlyList<Diagnostic> diagnostics, CompiledCondition? condition)
    {
        Diagnostics = diagnostics;
        Condition = condition;
    }

    /// <summary>True when the condition has no diagnostics and <see cref="Condition"/> is set.</summary>
    public bool Success => Condition is not null;

    /// <summary>Every problem found, in source order of discovery; empty on success.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The compiled condition; null when there are diagnostics.</summary>
    public CompiledCondition? Condition { get; }
}
