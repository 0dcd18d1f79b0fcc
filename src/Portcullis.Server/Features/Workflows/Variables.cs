using System.Text.RegularExpressions;
using Portcullis.Server.Features.Workflows.Templates;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// The variables a step can read, shared by templates and <c>when</c>: <c>trigger.input.…</c>, <c>steps.&lt;earlier
/// step&gt;.output.…</c> and <c>.status</c>, <c>run.id</c>, <c>agent.name</c>, <c>workflow.id</c>, <c>workflow.name</c>.
/// </summary>
public static partial class Variables
{
    private static readonly HashSet<string> Exact = ["run.id", "agent.name", "workflow.id", "workflow.name"];

    [GeneratedRegex(@"\bsteps\.([A-Za-z0-9_-]+)")]
    private static partial Regex StepReference();

    /// <summary>Why a reference cannot be read by the step at <paramref name="position"/>, or null when it can.</summary>
    public static (string Code, string Message)? Check(IReadOnlyList<PathStep> path, string text, WorkflowDefinition definition, int position)
    {
        var root = path[0].Name;
        if (root == "trigger")
        {
            return path.Count >= 2 && path[1].Name == "input" ? null : Unknown(text);
        }

        if (root == "steps")
        {
            if (path.Count < 3 || path[1].IsIndex || path[2].Name is not ("output" or "status") || (path[2].Name == "status" && path.Count > 3))
            {
                return Unknown(text);
            }

            return CheckStepOrder(path[1].Name!, definition, position);
        }

        var dotted = string.Join('.', path.Select(p => p.ToString()));
        return Exact.Contains(dotted) ? null : Unknown(text);
    }

    /// <summary>Every <c>steps.&lt;id&gt;</c> a <c>when</c> condition names must be an earlier step.</summary>
    public static IEnumerable<(string Message, int Offset)> CheckWhenSteps(string when, WorkflowDefinition definition, int position)
    {
        foreach (Match match in StepReference().Matches(when))
        {
            if (CheckStepOrder(match.Groups[1].Value, definition, position) is { } problem)
            {
                yield return (problem.Message, match.Index);
            }
        }
    }

    private static (string Code, string Message)? CheckStepOrder(string stepId, WorkflowDefinition definition, int position)
    {
        var index = definition.IndexOf(stepId);
        return index switch
        {
            < 0 => (WorkflowDiagnosticCodes.UnknownVariable, $"there is no step `{stepId}`"),
            _ when index >= position => (WorkflowDiagnosticCodes.LaterStep,
                index == position ? $"step `{stepId}` cannot read its own result" : $"step `{stepId}` runs later; a step reads only the steps before it"),
            _ => null,
        };
    }

    private static (string Code, string Message) Unknown(string text) => (WorkflowDiagnosticCodes.UnknownVariable,
        $"`{text}` is not a variable: use `trigger.input.<path>`, `steps.<stepId>.output.<path>`, `steps.<stepId>.status`, `run.id`, `agent.name`, `workflow.id` or `workflow.name`");
}
