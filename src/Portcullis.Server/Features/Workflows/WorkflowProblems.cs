using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows;

public static class WorkflowProblems
{
    public const string InvalidWorkflow = "invalid_workflow";

    /// <summary>400 <c>invalid_workflow</c> with every diagnostic: code, message, field, and line/column inside templates and conditions.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<WorkflowDiagnostic> diagnostics) =>
        Problems.Create(400, InvalidWorkflow, "Invalid workflow",
            diagnostics.Count == 1 ? $"the workflow has 1 problem: {diagnostics[0].Field}: {diagnostics[0].Message}" : $"the workflow has {diagnostics.Count} problems",
            new Dictionary<string, object?> { ["diagnostics"] = diagnostics });
}
