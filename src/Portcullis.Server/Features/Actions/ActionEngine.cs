using Portcullis.Connectors;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The governed-action pipeline, the one every transport calls (REST, dashboard, workflow steps, MCP tools): load the
/// run → idempotency → policies → record the decision (with its dispatch job) → dispatch → answer. The caller has
/// authenticated the agent and parsed the request; nothing here knows HTTP.
/// </summary>
public sealed partial class ActionEngine(
    Database database, ActionDecider decider, ActionRecorder recorder, ActionDispatcher dispatcher, ActionExecutor executor,
    Timeline timeline, TimeProvider time, ILogger<ActionEngine> logger)
{
    public async Task<RequestActionResult> RequestAsync(RequestActionCommand command, CancellationToken ct)
    {
        var (agent, input, _) = command;
        var (run, refusal) = await decider.PreflightAsync(command, recording: true, ct);
        if (refusal is InvalidPayload invalid)
        {
            await RecordInvalidAsync(agent.WorkspaceId, input, invalid.Errors, ct);
        }

        if (run is null)
        {
            return refusal!;
        }

        if (input.IdempotencyKey is not null && await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct) is { } replay)
        {
            return replay;
        }

        var actionId = Ids.New("act", time);
        var recorded = await DecideAndRecordAsync(command, run, actionId, ct);
        switch (recorded.Outcome)
        {
            case ActionRecorder.Outcome.RunNotFound:
                return new RunNotFound(input.RunId);
            case ActionRecorder.Outcome.RunEnded:
                return new RunEnded(input.RunId, recorded.RunStatus);
            case ActionRecorder.Outcome.Duplicate:
                // Lost a race with a request carrying the same key: answer as its retry.
                return await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct) ?? new KeyConflict(input.IdempotencyKey!);
        }

        if (recorded.Job is not { } job)
        {
            return new Decided(actionId, recorded.AnswerJson!);
        }

        // The decision and its job are committed: the call goes out now, inline, and its result is recorded even if the
        // client hangs up. Should this process die first, recovery finishes the job.
        var target = new DispatchTarget
        {
            ActionRequestId = actionId, WorkspaceId = agent.WorkspaceId, RunId = input.RunId, AgentId = agent.AgentId, AgentName = agent.AgentName,
            ActionType = input.ActionType, Provider = input.Provider!, Payload = input.PayloadJson, Response = recorded.AnswerJson,
            ConnectorMode = agent.Workspace.ConnectorMode, CredentialId = input.CredentialId,
            WorkflowRunId = input.Workflow?.WorkflowRunId,
        };
        var answer = await executor.RunHeldAsync(job, target);
        return answer is not null
            ? new Decided(actionId, answer)
            : await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct) ?? new Decided(actionId, recorded.AnswerJson!);
    }

    /// <summary>
    /// Decides and records. With policies that count or sum earlier requests the figures are read inside the recording
    /// transaction, under a workspace lock every decision of the workspace takes while such policies exist: otherwise
    /// concurrent requests would all read the same total and all pass a budget (30 concurrent refunds against a 10-refund
    /// limit). Without them the decision is made first and the transaction stays as short as it can be.
    /// </summary>
    private async Task<ActionRecorder.Result> DecideAndRecordAsync(RequestActionCommand command, RunContext run, string id, CancellationToken ct)
    {
        var (agent, input, hook) = command;
        var context = ActionDecider.ContextOf(command, run);
        var sets = await decider.PoliciesAsync(agent, ct);

        // Demo mode simulates the built-in connectors; a gateway tool always goes to its real upstream server.
        ConnectorResult? Simulate(DecidedAction d)
        {
            if (!(d.Dispatches && d.Input.BuiltIn && agent.Workspace.ConnectorMode == ActionDispatcher.DemoMode))
            {
                return null;
            }

            using var call = ToolCall.Start(input.ActionType, input.Provider!, agent.AgentId, agent.AgentName, d.Id);
            return call.Finish(dispatcher.Simulate(d.Id, input.ActionType, input.Provider!, input.Payload));
        }

        DecidedAction? decided = null;
        ActionRecorder.Result result;
        if (ActionDecider.NeedsVelocity(agent, sets))
        {
            result = await recorder.DecideAndRecordAsync(VelocityLock(agent.WorkspaceId), async (c, t) =>
            {
                var now = time.Now();
                var values = await decider.VelocityAsync(c, t, sets, context, agent, now);
                return decided = ActionDecider.Decide(id, agent, input, sets, context, values, now);
            }, Simulate, hook, ct);
        }
        else
        {
            decided = ActionDecider.Decide(id, agent, input, sets, context, null, time.Now());
            result = Simulate(decided) is { } simulated
                ? await recorder.RecordDecisionWithExecutionAsync(decided, simulated, hook, ct)
                : await recorder.RecordDecisionAsync(decided, hook, ct);
        }

        // Counted once committed: a decision rolled back (a lost idempotency race, an ended run) was never made.
        if (result.Outcome == ActionRecorder.Outcome.Recorded && decided is not null)
        {
            PortcullisTelemetry.RecordDecision(decided.Decision, input.ActionType);
            LogDecided(logger, id, input.ActionType, decided.Decision, input.RunId);
        }

        return result;
    }

    /// <summary>The name every velocity-dependent decision of a workspace locks (<see cref="Storage.SqlDialect.LockNameAsync"/>).</summary>
    public static string VelocityLock(string workspaceId) => "velocity:" + workspaceId;

    private Task RecordInvalidAsync(string workspaceId, ActionRequestInput input, IReadOnlyList<FieldError> payloadErrors, CancellationToken ct)
    {
        var errors = payloadErrors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return database.WriteAsync((c, t) => timeline.AppendSystemAsync(c, t, workspaceId, input.RunId, "action.invalid", new
        {
            actionType = input.ActionType, provider = input.Provider, errors,
        }), ct);
    }

    // Ids and the decision only: the payload and evidence stay out of logs as they stay out of spans.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Action {ActionRequestId} ({ActionType}) in run {RunId} decided {Decision}")]
    private static partial void LogDecided(ILogger logger, string actionRequestId, string actionType, string decision, string runId);
}
