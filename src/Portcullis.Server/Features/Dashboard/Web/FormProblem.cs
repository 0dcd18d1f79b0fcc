using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>An API problem as a form shows it: a sentence, and the errors of each field.</summary>
public sealed record FormProblem(int Status, string Message, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<DiagnosticDto> Diagnostics)
{
    public static FormProblem Of(string message, int status = 400) => new(status, message, new Dictionary<string, string[]>(), []);

    /// <summary>A use case's field errors, worded as the API's <c>validation_failed</c> problem.</summary>
    public static FormProblem Invalid(FieldErrors errors) => new(400, Sentence(errors.Summary), errors.ToDictionary(), []);

    /// <summary>A use case's refusal in the API's words (<c>detail</c>), as a sentence.</summary>
    public static FormProblem Refused(int status, string detail) => new(status, Sentence(detail), new Dictionary<string, string[]>(), []);

    public static FormProblem NotFound(string what) => Refused(404, Problems.NotFoundDetail(what));

    /// <summary>A policy condition that does not parse, as the API's <c>invalid_policy</c> problem words it.</summary>
    public static FormProblem InvalidCondition(IReadOnlyList<Portcullis.Policies.Diagnostic> diagnostics) =>
        new(400, Sentence(DiagnosticDto.Summary(diagnostics)), new Dictionary<string, string[]>(), diagnostics.Select(DiagnosticDto.From).ToList());

    public static FormProblem From(ProblemDetails problem)
    {
        var errors = problem.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyDictionary<string, string[]> fields
            ? fields
            : new Dictionary<string, string[]>();
        var diagnostics = problem.Extensions.TryGetValue("diagnostics", out var d) && d is IReadOnlyList<DiagnosticDto> list ? list : [];
        return new FormProblem(problem.Status ?? 400, Sentence(problem.Detail ?? problem.Title ?? "the request failed"), errors, diagnostics);
    }

    /// <summary>The field's errors as one phrase, or null.</summary>
    public string? For(string field) => Errors.TryGetValue(field, out var messages) ? string.Join("; ", messages) : null;

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");
}

/// <summary>
/// Unwraps a REST handler's typed result: the value on success, the problem otherwise. Only the Alerts page still needs it
/// (<c>AlertsApi.List</c> lives in Features/Actions, which has no query class yet); every other page calls a service or a query.
/// </summary>
public static class ApiResults
{
    public static T? Value<T>(IResult result) where T : class => result switch
    {
        Ok<T> ok => ok.Value,
        Created<T> created => created.Value,
        _ => null,
    };

    public static FormProblem? Problem(IResult result) => result is ProblemHttpResult p ? FormProblem.From(p.ProblemDetails) : null;
}
