namespace Portcullis.Policies;

/// <summary>
/// A problem found in a condition (or in a policy definition) when it is parsed or compiled.
/// </summary>
/// <param name="Code">Stable snake_case code, one of <see cref="DiagnosticCodes"/>.</param>
/// <param name="Message">Lowercase message without a final period; user input appears in backticks.</param>
/// <param name="Line">1-based line in the condition text; 0 when the problem is about the policy itself.</param>
/// <param name="Column">1-based column (UTF-16 characters; a tab counts as one); 0 when <paramref name="Line"/> is 0.</param>
/// <param name="Length">Length of the offending span in characters (at least 1 for positioned problems).</param>
/// <param name="Excerpt">The source line, a newline, then spaces and <c>^</c> marks under the span; empty when <paramref name="Line"/> is 0.</param>
public sealed record Diagnostic(string Code, string Message, int Line, int Column, int Length, string Excerpt)
{
    /// <summary>Formats as <c>line:column: code: message</c> followed by the excerpt.</summary>
    public override string ToString() =>
        Line == 0 ? $"{Code}: {Message}" : $"{Line}:{Column}: {Code}: {Message}\n{Excerpt}";
}
