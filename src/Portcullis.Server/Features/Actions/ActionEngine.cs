using Portcullis.Connectors;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Policies.Shadow;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The governed-action pipeline, the one every transport calls (REST, dashboard, workflow steps, MCP tools): load the
/// run → idempotency → policies → record the decision (with its dispatch job) → dispatch → answer. The caller has
/// authenticated the agent and parsed the request; nothing here knows HTTP.
/// </summary>
public sealed class ActionEngine(
    Database database, PolicyCache policies, VelocityReader velocity, ActionRecorder recorder, ActionDispatcher dispatcher,
    ActionExecutor executor, McpActionCheck gatewayCheck, Timeline timeline, TimeProvider time)
{
    public async Task<RequestActionResult> RequestAsync(RequestActionCommand command, CancellationToken ct)
    {
        var (agent, input, _) = command;
        var run = await RunContext.FindAsync(database, input.RunId, agent.AgentId, ct);
        if (run is null)
        {
            return new RunNotFound(input.RunId);
        }

        if (!RunStatus.IsOpen(run.Status))
        {
            return new RunEnded(input.RunId, run.Status);
        }

        // A gateway tool: the server, the agent's link to it, the tool and its pinned schema (field errors, like a built-in payload).
        var payloadErrors = input.Gateway && input.PayloadErrors.Count == 0
            ? await gatewayCheck.CheckAsync(agent.WorkspaceId, agent.AgentId, input.ActionType, input.Payload, ct)
            : input.PayloadErrors;
        if (payloadErrors.Count > 0)
        {
            await RecordInvalidAsync(agent.WorkspaceId, input, payloadErrors, ct);
            return new InvalidPayload(payloadErrors);
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
                return new RunEnded(input.RunId, null);
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
            ActionRequestId = actionId, WorkspaceId = agent.WorkspaceId, RunId = input.RunId, AgentId = agent.AgentId,
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
        var context = ContextOf(command, run);
        var sets = await policies.GetBothAsync(agent.WorkspaceId, agent.Workspace.PolicyRevision, ct);

        // Demo mode simulates the built-in connectors; a gateway tool always goes to its real upstream server.
        ConnectorResult? Simulate(DecidedAction d) => d.Dispatches && d.Input.BuiltIn && agent.Workspace.ConnectorMode == ActionDispatcher.DemoMode
            ? dispatcher.Simulate(d.Id, input.ActionType, input.Provider!, input.Payload)
            : null;

        if (sets.Enforced.UsesVelocity || sets.Shadow.UsesVelocity)
        {
            return await recorder.DecideAndRecordAsync(VelocityLock(agent.WorkspaceId), async (c, t) =>
            {
                var now = time.Now();
                var queries = sets.Enforced.VelocityQueriesFor(context).Union(sets.Shadow.VelocityQueriesFor(context)).ToList();
                var values = await velocity.ReadAsync(c, t, queries, agent.WorkspaceId, agent.AgentId, now);
                return Decide(id, agent, input, sets, context, values, now);
            }, Simulate, hook, ct);
        }

        var decided = Decide(id, agent, input, sets, context, null, time.Now());
        return Simulate(decided) is { } simulated
            ? await recorder.RecordDecisionWithExecutionAsync(decided, simulated, hook, ct)
            : await recorder.RecordDecisionAsync(decided, hook, ct);
    }

    /// <summary>The name every velocity-dependent decision of a workspace locks (<see cref="Storage.SqlDialect.LockNameAsync"/>).</summary>
    public static string VelocityLock(string workspaceId) => "velocity:" + workspaceId;

    private static ActionContext ContextOf(RequestActionCommand command, RunContext run)
    {
        var (agent, input, _) = command;
        return new ActionContext
        {
            ActionType = input.ActionType, Provider = input.Provider, ResourceType = input.ResourceType, ResourceId = input.ResourceId,
            Payload = input.Payload, Evidence = input.Evidence, AgentId = agent.AgentId, AgentName = agent.AgentName,
            AgentVersion = run.AgentVersion, RunTriggerType = run.TriggerType, RunExternalRef = run.ExternalRef,
            Source = input.Source, Context = input.Context,
            WorkflowId = input.Workflow?.WorkflowId, WorkflowName = input.Workflow?.WorkflowName, WorkflowStep = input.Workflow?.StepId,
        };
    }

    private static DecidedAction Decide(string id, AgentIdentity agent, ActionRequestInput input, WorkspacePolicies sets, ActionContext context,
        IReadOnlyDictionary<VelocityQuery, decimal>? velocityValues, long now)
    {
        PolicyDecisions.TryParse(agent.Workspace.DefaultDecision, out var defaultDecision);
        var evaluation = sets.Enforced.Evaluate(context, defaultDecision, velocityValues);
        var shadow = ShadowOutcome.Of(sets.Shadow, context, evaluation, defaultDecision, velocityValues);
        return new DecidedAction(id, agent.WorkspaceId, agent.AgentId, input, evaluation, now, now + (agent.Workspace.ApprovalExpirySeconds * 1000),
            agent.Workspace.PolicyRevision, shadow);
    }

    private Task RecordInvalidAsync(string workspaceId, ActionRequestInput input, IReadOnlyList<FieldError> payloadErrors, CancellationToken ct)
    {
        var errors = payloadErrors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return database.WriteAsync((c, t) => timeline.AppendSystemAsync(c, t, workspaceId, input.RunId, "action.invalid", new
        {
            actionType = input.ActionType, provider = input.Provider, errors,
        }), ct);
    }
}
