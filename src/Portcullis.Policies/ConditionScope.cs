namespace Portcullis.Policies;

/// <summary>Which variables a condition reads.</summary>
public enum ConditionScope
{
    /// <summary>A policy's condition over an action request: <c>action_type</c>, <c>payload.…</c>, <c>workflow.step</c>…</summary>
    Action,

    /// <summary>
    /// A workflow step's <c>when</c>: <c>trigger.input.…</c>, <c>steps.&lt;id&gt;.output.…</c>, <c>steps.&lt;id&gt;.status</c>,
    /// <c>run.id</c>, <c>agent.name</c>, <c>workflow.name</c>, read from <see cref="ActionContext.Context"/>. No velocity terms.
    /// </summary>
    WorkflowStep,
}
