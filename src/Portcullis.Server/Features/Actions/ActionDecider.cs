using System.Data.Common;
using System.Diagnostics;
using Portcullis.Policies;
using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Policies.Shadow;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The stages every governed-action request and every check (<c>POST /api/actions/check</c>) share: the run must be the agent's
/// and open, the payload valid, and the decision is one function of the policy set, the request, the run and the kill switch.
/// Nothing here writes: <see cref="ActionEngine"/> records what it decides, <see cref="ActionCheck"/> only answers.
/// </summary>
public sealed class ActionDecider(RunContexts runs, PolicyCache policies, VelocityReader velocity, McpActionCheck gatewayCheck)
{
    /// <summary>The run the request may proceed in, or the result that refuses it (unknown or ended run, invalid payload).</summary>
    /// <param name="recording">
    /// The engine's request, whose decision's insert checks again that the run is open: the run may then come from
    /// <see cref="RunContexts"/> without a read. Not for a request a run's end would answer before that insert: one that
    /// may replay an earlier answer (an idempotency key) or is refused for its payload (recorded in the run's timeline).
    /// </param>
    public async Task<(RunContext? Run, RequestActionResult? Refusal)> PreflightAsync(RequestActionCommand command, bool recording, CancellationToken ct)
    {
        var (agent, input, _) = command;
        var remembered = recording && input.IdempotencyKey is null && input.PayloadErrors.Count == 0;
        var run = remembered ? await runs.FindAsync(input.RunId, agent.AgentId, ct) : await runs.ReadAsync(input.RunId, agent.AgentId, ct);
        if (Refuse(input.RunId, run) is { } refused)
        {
            return (null, refused);
        }

        // A gateway tool: the server, the agent's link to it, the tool and its pinned schema (field errors, like a built-in payload).
        var payloadErrors = input.Gateway && input.PayloadErrors.Count == 0
            ? await gatewayCheck.CheckAsync(agent.WorkspaceId, agent.AgentId, input.ActionType, input.Payload, ct)
            : input.PayloadErrors;
        if (payloadErrors.Count > 0 && remembered && Refuse(input.RunId, await runs.ReadAsync(input.RunId, agent.AgentId, ct)) is { } ended)
        {
            return (null, ended);
        }

        return payloadErrors.Count > 0 ? (null, new InvalidPayload(payloadErrors)) : (run, null);
    }

    private static RequestActionResult? Refuse(string runId, RunContext? run) =>
        run is null ? new RunNotFound(runId) : !RunStatus.IsOpen(run.Status) ? new RunEnded(runId, run.Status) : null;

    /// <summary>The compiled policy sets (enforced and shadow) of the agent's workspace at the revision its key lookup read.</summary>
    public ValueTask<WorkspacePolicies> PoliciesAsync(AgentIdentity agent, CancellationToken ct) =>
        policies.GetBothAsync(agent.WorkspaceId, agent.Workspace.PolicyRevision, ct);

    /// <summary>
    /// Whether the decision needs velocity figures: a frozen agent is blocked whatever they are, so its decision reads and
    /// locks nothing.
    /// </summary>
    public static bool NeedsVelocity(AgentIdentity agent, WorkspacePolicies sets) =>
        (sets.Enforced.UsesVelocity || sets.Shadow.UsesVelocity) && agent.FreezeReason is null;

    /// <summary>
    /// The velocity figures the conditions of both sets ask for (shadow policies see the same figures as the enforced ones),
    /// read on <paramref name="connection"/> (in its transaction, if any).
    /// </summary>
    public Task<IReadOnlyDictionary<VelocityQuery, decimal>?> VelocityAsync(DbConnection connection, DbTransaction? transaction,
        WorkspacePolicies sets, ActionContext context, AgentIdentity agent, long now) =>
        velocity.ReadAsync(connection, transaction, sets.Enforced.VelocityQueriesFor(context).Union(sets.Shadow.VelocityQueriesFor(context)).ToList(),
            new VelocityOwner(agent.WorkspaceId, agent.AgentId, context.RunId), now);

    public static ActionContext ContextOf(RequestActionCommand command, RunContext run)
    {
        var (agent, input, _) = command;
        return new ActionContext
        {
            ActionType = input.ActionType, Provider = input.Provider, ResourceType = input.ResourceType, ResourceId = input.ResourceId,
            Payload = input.Payload, Evidence = input.Evidence, AgentId = agent.AgentId, AgentName = agent.AgentName,
            AgentVersion = run.AgentVersion, RunTriggerType = run.TriggerType, RunExternalRef = run.ExternalRef,
            Source = input.Source, Context = input.Context, RunId = input.RunId,
            WorkflowId = input.Workflow?.WorkflowId, WorkflowName = input.Workflow?.WorkflowName, WorkflowStep = input.Workflow?.StepId,
        };
    }

    /// <summary>
    /// The decision. INVARIANT: a frozen agent (or an agent of a frozen workspace) is blocked with the freeze's reason before
    /// any policy is looked at: no policy, default decision or approval can let it act.
    /// Shadow policies are evaluated beside it (not for a frozen agent: nothing is being decided on policy).
    /// </summary>
    public static DecidedAction Decide(string id, AgentIdentity agent, ActionRequestInput input, WorkspacePolicies sets, ActionContext context,
        IReadOnlyDictionary<VelocityQuery, decimal>? velocityValues, long now)
    {
        using var span = GenAiSpans.StartGuardrail(input.ActionType, agent.AgentId, agent.AgentName, input.RunId);
        var started = Stopwatch.GetTimestamp();
        var evaluation = Evaluate(agent, sets.Enforced, context, velocityValues);
        PolicyDecisions.TryParse(agent.Workspace.DefaultDecision, out var fallback);
        var shadow = agent.FreezeReason is null ? ShadowOutcome.Of(sets.Shadow, context, evaluation, fallback, velocityValues) : [];
        PortcullisTelemetry.PolicyEvaluation.Record(PortcullisTelemetry.SecondsSince(started));
        var decided = new DecidedAction(id, agent.WorkspaceId, agent.AgentId, input, evaluation, now, now + (agent.Workspace.ApprovalExpirySeconds * 1000),
            sets.Revision, shadow, agent.Workspace.EventTypes);
        GenAiSpans.SetDecision(span, decided);
        return decided;
    }

    /// <summary>The evaluation alone (also a workflow's dry run): the freeze first, else the policies over the workspace default.</summary>
    public static PolicyEvaluation Evaluate(AgentIdentity agent, PolicySet set, ActionContext context,
        IReadOnlyDictionary<VelocityQuery, decimal>? velocityValues)
    {
        if (agent.FreezeReason is { } frozen)
        {
            return new PolicyEvaluation(PolicyDecision.Block, frozen, null, [], []);
        }

        PolicyDecisions.TryParse(agent.Workspace.DefaultDecision, out var fallback);
        return set.Evaluate(context, fallback, velocityValues);
    }
}
