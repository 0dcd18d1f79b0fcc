using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Policies;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>A step's <c>when</c>, evaluated over the run's variables, for the runner and the dry run alike.</summary>
public static class StepCondition
{
    /// <summary>True to run the step (no <c>when</c>, or it holds), false to skip it; <paramref name="error"/> when it cannot be evaluated.</summary>
    public static bool Holds(WorkflowStep step, JsonObject variables, out string? error)
    {
        error = null;
        if (step.When is not { } when)
        {
            return true;
        }

        var evaluation = PolicyCondition.Parse(when, ConditionScope.WorkflowStep).Condition?.Evaluate(new ActionContext
        {
            ActionType = step.ActionType,
            Context = JsonSerializer.SerializeToElement(variables),
        });
        if (evaluation is not { IsError: false } result)
        {
            error = $"`when` could not be evaluated: {evaluation?.ErrorMessage ?? "it does not parse"}";
            return false;
        }

        return result.IsMatch;
    }
}
