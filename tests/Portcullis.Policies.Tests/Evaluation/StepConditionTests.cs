using System.Text.Json;

namespace Portcullis.Policies.Tests.Evaluation;

/// <summary>A workflow step's <c>when</c>: the policy language over the step variables instead of request fields.</summary>
public sealed class StepConditionTests
{
    private static readonly ActionContext Variables = new()
    {
        ActionType = "workflow.when",
        Context = JsonDocument.Parse("""
            {"trigger": {"input": {"amount": 120, "tier": "gold", "tags": ["vip"]}},
             "steps": {"lookup": {"status": "completed", "output": {"order": {"total": 99.5, "state": "paid"}}}},
             "run": {"id": "run_1"}, "agent": {"name": "refund-bot"}, "workflow": {"id": "wf_1", "name": "Refunds"}}
            """).RootElement,
    };

    [Theory]
    [InlineData("trigger.input.amount > 100", true)]
    [InlineData("trigger.input.tier = gold AND trigger.input.tags CONTAINS vip", true)]
    [InlineData("steps.lookup.status = completed", true)]
    [InlineData("steps.lookup.output.order.total < 100 AND steps.lookup.output.order.state = paid", true)]
    [InlineData("steps.lookup.output.order.refunded EXISTS", false)]
    [InlineData("steps.notify.status = completed", false)]
    [InlineData("run.id = run_1 AND agent.name = 'refund-bot' AND workflow.name = Refunds", true)]
    [InlineData("NOT (trigger.input.amount <= 100)", true)]
    public void Reads_the_step_variables(string when, bool expected)
    {
        var parsed = PolicyCondition.Parse(when, ConditionScope.WorkflowStep);

        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        Assert.Equal(expected, parsed.Condition!.Evaluate(Variables).IsMatch);
    }

    [Theory]
    [InlineData("payload.amount > 1")]
    [InlineData("action_type = refund.create")]
    [InlineData("amount > 1")]
    [InlineData("COUNT(LAST 1h) > 3")]
    [InlineData("steps > 1")]
    public void Request_fields_and_velocity_are_not_step_variables(string when)
    {
        var parsed = PolicyCondition.Parse(when, ConditionScope.WorkflowStep);

        Assert.False(parsed.Success);
        Assert.Equal(DiagnosticCodes.UnknownField, parsed.Diagnostics[0].Code);
    }

    [Fact]
    public void An_unknown_word_says_which_variables_exist_with_its_position()
    {
        var parsed = PolicyCondition.Parse("trigger.input.a = 1 AND\n  payload.x = 2", ConditionScope.WorkflowStep);

        var diagnostic = Assert.Single(parsed.Diagnostics);
        Assert.Contains("steps.<stepId>.output", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(2, diagnostic.Line);
        Assert.Equal(3, diagnostic.Column);
    }

    [Fact]
    public void Step_variables_are_not_policy_fields()
    {
        Assert.False(PolicyCondition.Parse("trigger.input.amount > 1").Success);
        Assert.False(PolicyCondition.Parse("steps.lookup.status = completed").Success);
    }
}
