using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Features.Workflows.Templates;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.DryRun;

/// <param name="InputJson">The sample <c>trigger.input</c>, already checked to be a JSON object.</param>
public sealed record TestRunCommand(Member Actor, string WorkflowId, string InputJson);

public abstract record TestRunResult
{
    private TestRunResult()
    {
    }

    public sealed record Ran(DryRunResponse Response) : TestRunResult;

    public sealed record NotFound(string What) : TestRunResult;
}

/// <summary>
/// A dry run of a workflow's current version on sample input: each step's <c>when</c> and input are evaluated against
/// the variables a real run would build (<see cref="WorkflowRunState.Variables"/>), and the workspace's policies decide
/// the rendered request as the engine would. Nothing is recorded and nothing executes: a built-in action that would go
/// ahead gets the demo connector's simulated answer, so later steps have an output to read. A held step is assumed
/// approved; a blocked or failing step ends the dry run there, as it would end the run.
/// </summary>
public sealed class WorkflowTestRun(WorkflowStore store, AgentQueries agents, WorkspaceStore workspaces, PolicyCache policies,
    VelocityReader velocity, ActionDispatcher dispatcher, TimeProvider time)
{
    public const string DryRunId = "dry_run";

    /// <summary>The <c>run.trigger_type</c> of every workflow run (see <see cref="StartWorkflowRun"/>).</summary>
    private const string WorkflowTriggerType = "workflow";

    public async Task<TestRunResult> ExecuteAsync(TestRunCommand command, CancellationToken ct)
    {
        var workspaceId = command.Actor.WorkspaceId;
        if (await store.FindAsync(workspaceId, command.WorkflowId, ct) is not { } workflow
            || await agents.GetAsync(workspaceId, workflow.AgentId, ct) is not { } agent)
        {
            return new TestRunResult.NotFound($"workflow `{command.WorkflowId}`");
        }

        var workspace = (await workspaces.FindAsync(workspaceId, ct))!;
        var definition = workflow.Parsed();
        // An unsaved run as the runner sees one, so the variables come from the runner's own code.
        var state = new WorkflowRunState
        {
            Run = new WorkflowRunRow { Id = DryRunId, WorkspaceId = workspaceId, WorkflowId = workflow.Id, RunId = DryRunId, AgentId = agent.Id, Input = command.InputJson },
            Steps = definition.Steps.Select((s, i) => new StepRow { Position = i, StepId = s.Id }).ToList(),
            Definition = definition,
            Agent = new AgentIdentity(WorkflowRunState.WorkflowKeyId, agent.Id, agent.Name, workspaceId, workspace, agent.Frozen?.Reason),
        };
        var answered = new List<DryRunStep>();
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = await StepAsync(state, i, ct);
            answered.Add(step);
            state.Steps[i].Status = step.Skipped ? StepStatus.Skipped : step.Error is null ? StepStatus.Completed : StepStatus.Failed;
            state.Steps[i].Output = step.Output?.ToJsonString();
            if (step.Error is not null || step.Decision == "block")
            {
                answered.AddRange(definition.Steps.Skip(i + 1).Select(s => DryRunStep.Skip(s.Id, $"not reached: the run would end at step `{step.Id}`")));
                break;
            }
        }

        return new TestRunResult.Ran(new DryRunResponse(workflow.Id, (int)workflow.Version, answered));
    }

    private async Task<DryRunStep> StepAsync(WorkflowRunState state, int index, CancellationToken ct)
    {
        var step = state.Definition.Steps[index];
        var variables = state.Variables(index);
        if (!StepCondition.Holds(step, variables, out var whenError))
        {
            return whenError is not null ? DryRunStep.Fail(step.Id, WorkflowErrorCodes.WhenFailed, whenError) : DryRunStep.Skip(step.Id, "`when` is false");
        }

        var (rendered, unresolved) = TemplateRenderer.Render(step.Input, variables);
        if (unresolved is not null)
        {
            return DryRunStep.Fail(step.Id, WorkflowErrorCodes.TemplateUnresolved, $"`{{{{{unresolved.Path}}}}}` in {unresolved.Field} resolved to nothing");
        }

        return await DecideAsync(state, step, rendered!, ct);
    }

    private async Task<DryRunStep> DecideAsync(WorkflowRunState state, WorkflowStep step, JsonNode rendered, CancellationToken ct)
    {
        var payloadJson = rendered.ToJsonString();
        using var payload = JsonDocument.Parse(payloadJson);
        var input = ActionRequestInput.Create(new ActionRequestInput.Fields(
            DryRunId, step.ActionType, step.Provider, null, null, (payload.RootElement, payloadJson),
            Workflow: new WorkflowStepRef(DryRunId, state.Run.WorkflowId, state.Definition.Name, step.Id), CredentialId: step.CredentialId),
            ActionSource.Workflow, new FieldErrors());
        if (input.PayloadErrors.Count > 0)
        {
            return DryRunStep.Fail(step.Id, WorkflowErrorCodes.InvalidPayload,
                "the rendered input does not match the action: " + string.Join("; ", input.PayloadErrors.Select(e => $"{e.Field} {e.Message}")), rendered);
        }

        var evaluation = await EvaluateAsync(state.Agent, input, ct);
        var decision = PolicyDecisions.ToWire(evaluation.Decision);
        var matched = evaluation.Matched.Select(MatchedPolicyDto.From).ToList();
        if (evaluation.Decision == PolicyDecision.Block || !input.BuiltIn)
        {
            return new DryRunStep(step.Id, false, rendered, decision, evaluation.Reason, matched, null, false, null);
        }

        var simulated = dispatcher.Simulate(DryRunId, input.ActionType, input.Provider!, input.Payload);
        var output = simulated.ResponsePayload is { } p ? JsonNode.Parse(p.GetRawText()) : null;
        var reason = evaluation.Decision == PolicyDecision.RequireApproval ? $"{evaluation.Reason} (the run would wait here; shown as if approved)" : evaluation.Reason;
        return new DryRunStep(step.Id, false, rendered, decision, reason, matched, output, true, null);
    }

    /// <summary>The decision as <see cref="ActionEngine"/> computes it for a workflow step: cached policies and velocity, nothing recorded.</summary>
    private async Task<PolicyEvaluation> EvaluateAsync(AgentIdentity agent, ActionRequestInput input, CancellationToken ct)
    {
        var context = new ActionContext
        {
            ActionType = input.ActionType,
            Provider = input.Provider,
            Payload = input.Payload,
            AgentId = agent.AgentId,
            AgentName = agent.AgentName,
            RunTriggerType = WorkflowTriggerType,
            Source = input.Source,
            WorkflowId = input.Workflow?.WorkflowId,
            WorkflowName = input.Workflow?.WorkflowName,
            WorkflowStep = input.Workflow?.StepId,
        };
        var set = await policies.GetAsync(agent.WorkspaceId, agent.Workspace.PolicyRevision, ct);
        var values = await velocity.ReadAsync(set.VelocityQueriesFor(context), new VelocityOwner(agent.WorkspaceId, agent.AgentId, null), time.Now(), ct);
        return ActionDecider.Evaluate(agent, set, context, values);
    }
}
