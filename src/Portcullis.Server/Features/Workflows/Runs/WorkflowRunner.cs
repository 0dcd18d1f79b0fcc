using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Features.Workflows.Templates;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.RequestActionResult;
using static Portcullis.Server.Features.Workflows.Runs.WorkflowRunWriter;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Advances a workflow run (job kind <c>workflow</c>): takes the first open step, evaluates its <c>when</c>, renders its
/// input and sends it through the governed-action engine with <c>source = workflow</c>, records what it came to, and goes
/// on until the run ends or waits for an approval. Each step's idempotency key is derived from the run and the step, so a
/// runner that takes over after a crash replays the engine's recorded answer: a step never executes twice.
/// </summary>
public sealed class WorkflowRunner(Database database, ActionEngine engine, WorkflowRunWriter writer, IOptions<LimitsOptions> limits, TimeProvider time)
    : IJobHandler
{
    public const string JobKind = "workflow";

    /// <summary>How long to wait before looking again at a step whose call is in flight elsewhere.</summary>
    private const long InFlightRetryMs = 1000;

    public string Kind => JobKind;

    public async Task RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var state = await WorkflowRunState.LoadAsync(database, job.SubjectId, ct);
        if (state is null || !WorkflowRunStatus.IsOpen(state.Run.Status))
        {
            await writer.CompleteJobAsync(job);
            return;
        }

        while (true)
        {
            if (state.NextStep() is not { } index)
            {
                await writer.RecordStepAsync(job, state, state.Steps[^1], WorkflowRunStatus.Completed, null);
                return;
            }

            if (!await AdvanceAsync(job, state, index))
            {
                return;
            }
        }
    }

    /// <summary>Decides the step at <paramref name="index"/> and records it; true when the run goes on to the next step.</summary>
    private async Task<bool> AdvanceAsync(ClaimedJob job, WorkflowRunState state, int index)
    {
        // The worker runs steps outside any request: each step's span links to the trace that started the workflow run.
        using var span = RunTrace.StartLinked("workflow_step " + state.Definition.Steps[index].Id, state.Run.RunId, state.Run.RunTraceParent);
        span?.SetTag("portcullis.workflow_run.id", state.Run.Id);
        var hook = new StepDecisionHook(writer, job, state, index, time);
        var outcome = await DecideStepAsync(state, index, hook);
        if (hook.Recorded is { } inDecision)
        {
            // Recorded with the action's decision, in its transaction.
            writer.Settled(state, inDecision.Written, inDecision.RunStatus, inDecision.Error, inDecision.Now);
            return inDecision.Written is Written.Recorded;
        }

        if (outcome.InFlight)
        {
            await writer.RetryLaterAsync(job, InFlightRetryMs);
            return false;
        }

        var step = outcome.ApplyTo(state.Steps[index], time.Now());
        var written = outcome.AwaitsApproval
            ? await writer.ParkAsync(job, state, step)
            : await writer.RecordStepAsync(job, state, step, state.RunStatusAfter(outcome), outcome.Error);
        return written is Written.Recorded or Written.NotParked;
    }

    /// <summary>What the step at <paramref name="index"/> comes to now: skipped, failed before asking, or the engine's answer.</summary>
    private async Task<StepOutcome> DecideStepAsync(WorkflowRunState state, int index, StepDecisionHook hook)
    {
        var step = state.Definition.Steps[index];
        var row = state.Steps[index];
        if (row.Status == StepStatus.AwaitingApproval && row.ActionRequestId is { } waiting)
        {
            return await ActionRequestOutcome.ReadAsync(database, waiting, step.Id);
        }

        // The kill switch, read fresh before every step (the run's state was loaded once): the run stops at its next step.
        if (await FreezeReader.ReasonAsync(database, state.Run.AgentId, CancellationToken.None) is { } frozen)
        {
            return StepOutcome.Failed(FreezeErrorCodes.AgentFrozen, frozen, step.Id);
        }

        var variables = state.Variables(index);
        if (!StepCondition.Holds(step, variables, out var whenError))
        {
            return whenError is not null
                ? StepOutcome.Failed(WorkflowErrorCodes.WhenFailed, whenError, step.Id)
                : new StepOutcome(StepStatus.Skipped, null, null, null, null, null, null);
        }

        var (rendered, unresolved) = TemplateRenderer.Render(step.Input, variables);
        if (unresolved is not null)
        {
            return StepOutcome.Failed(WorkflowErrorCodes.TemplateUnresolved,
                $"`{{{{{unresolved.Path}}}}}` in {unresolved.Field} resolved to nothing", step.Id);
        }

        row.Input = rendered!.ToJsonString();
        return await RequestAsync(state, step, row.Input, hook);
    }

    private async Task<StepOutcome> RequestAsync(WorkflowRunState state, WorkflowStep step, string payloadJson, StepDecisionHook hook)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(payloadJson) > limits.Value.MaxPayloadBytes)
        {
            return StepOutcome.Failed(WorkflowErrorCodes.InvalidPayload, $"the rendered input is larger than {limits.Value.MaxPayloadBytes} bytes", step.Id);
        }

        using var payload = JsonDocument.Parse(payloadJson);
        var errors = new FieldErrors();
        var input = ActionRequestInput.Create(new ActionRequestInput.Fields(
            state.Run.RunId, step.ActionType, step.Provider, null, null, (payload.RootElement, payloadJson),
            IdempotencyKey: $"workflow:{state.Run.Id}:{step.Id}",
            Workflow: new WorkflowStepRef(state.Run.Id, state.Run.WorkflowId, state.Definition.Name, step.Id),
            CredentialId: step.CredentialId), ActionSource.Workflow, errors);
        if (errors.Any)
        {
            return StepOutcome.Failed(WorkflowErrorCodes.InvalidPayload, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(", ", e.Value)}")), step.Id);
        }

        return await engine.RequestAsync(new RequestActionCommand(state.Agent, input, hook), CancellationToken.None) switch
        {
            Decided d => StepOutcome.FromAnswer(d.AnswerJson, step.Id),
            Replayed r => await ActionRequestOutcome.FromReplayAsync(database, r.AnswerJson, step.Id),
            InvalidPayload p => StepOutcome.Failed(WorkflowErrorCodes.InvalidPayload,
                "the rendered input does not match the action: " + string.Join("; ", p.Errors.Select(e => $"{e.Field} {e.Message}")), step.Id),
            RunEnded => StepOutcome.Failed(WorkflowErrorCodes.RunEnded, $"run `{state.Run.RunId}` was ended outside the workflow", step.Id),
            RunNotFound => StepOutcome.Failed(WorkflowErrorCodes.RunEnded, $"run `{state.Run.RunId}` no longer exists", step.Id),
            var other => StepOutcome.Failed(WorkflowErrorCodes.InvalidPayload, $"the step's request was refused ({other.GetType().Name})", step.Id),
        };
    }
}
