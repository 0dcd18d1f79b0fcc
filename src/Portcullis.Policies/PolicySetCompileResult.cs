namespace Portcullis.Policies;

/// <summary>The result of <see cref="PolicySet.Compile"/>.</summary>
public sealed class PolicySetCompileResult
{
    internal PolicySetCompileResult(PolicySet set, IReadOnlyDictionary<string, IReadOnlyList<Diagnostic>> diagnosticsByPolicyId)
    {
        Set = set;
        DiagnosticsByPolicyId = diagnosticsByPolicyId;
    }

    /// <summary>The set of valid policies; usable even when some policies were rejected.</summary>
    public PolicySet Set { get; }

    /// <summary>Diagnostics of each rejected policy, keyed by policy id; only rejected policies appear.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Diagnostic>> DiagnosticsByPolicyId { get; }

    /// <summary>True when every policy compiled.</summary>
    public bool Success => DiagnosticsByPolicyId.Count == 0;
}
