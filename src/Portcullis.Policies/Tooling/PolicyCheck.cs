namespace Portcullis.Policies.Tooling;

/// <summary>Loads a policies file, compiles it and prints every problem; shared by check, eval and bench.</summary>
internal static class PolicyCheck
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int Unreadable = 2;

    /// <summary>Returns the compiled set, or null with <paramref name="exitCode"/> set after printing why.</summary>
    public static PolicySet? Load(string path, TextWriter problemsOut, TextWriter stderr, out int exitCode, out int policyCount)
    {
        policyCount = 0;
        var entries = PolicyFile.Load(path, stderr);
        if (entries is null)
        {
            exitCode = Unreadable;
            return null;
        }

        policyCount = entries.Count;
        var definitions = entries.Where(e => e.Definition is not null).Select(e => e.Definition!).ToList();
        var compiled = PolicySet.Compile(definitions);

        var problemCount = 0;
        var failedPolicies = 0;
        foreach (var entry in entries)
        {
            var problems = entry.Definition is null
                ? entry.Problems
                : compiled.DiagnosticsByPolicyId.GetValueOrDefault(entry.Definition.Id, []);
            if (problems.Count == 0)
            {
                continue;
            }

            failedPolicies++;
            problemCount += problems.Count;
            foreach (var d in problems)
            {
                Print(problemsOut, path, entry.DisplayName, d);
            }
        }

        if (problemCount > 0)
        {
            var noun = problemCount == 1 ? "problem" : "problems";
            problemsOut.WriteLine($"{path}: {problemCount} {noun} in {failedPolicies} of {entries.Count} policies");
            exitCode = Problems;
            return null;
        }

        exitCode = Ok;
        // Shadow policies are checked like the others but decide nothing, on the server as in eval and bench.
        return entries.Any(e => e.IsShadow)
            ? PolicySet.Compile(entries.Where(e => !e.IsShadow).Select(e => e.Definition!)).Set
            : compiled.Set;
    }

    /// <summary><c>FILE: policy `NAME`: LINE:COL: CODE: MESSAGE</c>, then the excerpt indented by four spaces.</summary>
    private static void Print(TextWriter output, string path, string policyName, Diagnostic d)
    {
        var where = d.Line > 0 ? $"{d.Line}:{d.Column}: " : "";
        output.WriteLine($"{path}: policy `{policyName}`: {where}{d.Code}: {d.Message}");
        if (d.Excerpt.Length > 0)
        {
            foreach (var line in d.Excerpt.Split('\n'))
            {
                output.WriteLine("    " + line);
            }
        }
    }
}
