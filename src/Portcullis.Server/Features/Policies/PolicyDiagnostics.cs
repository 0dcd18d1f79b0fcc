using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Policies;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies;

/// <summary>Parse diagnostics on the wire: code, message, position and a caret excerpt.</summary>
public sealed record DiagnosticDto(string Code, string Message, int Line, int Column, int Length, string Excerpt)
{
    public static DiagnosticDto From(Diagnostic d) => new(d.Code, d.Message, d.Line, d.Column, d.Length, d.Excerpt);

    /// <summary>The sentence every transport shows above the diagnostics.</summary>
    public static string Summary(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 1 ? $"the condition has 1 problem: {diagnostics[0].Message}" : $"the condition has {diagnostics.Count} problems";

    /// <summary>400 <c>invalid_policy</c> carrying every diagnostic of the condition.</summary>
    public static ProblemHttpResult Problem(IReadOnlyList<Diagnostic> diagnostics) =>
        Problems.Create(400, "invalid_policy", "Invalid policy condition", Summary(diagnostics),
            new Dictionary<string, object?> { ["diagnostics"] = diagnostics.Select(From).ToList() });
}
