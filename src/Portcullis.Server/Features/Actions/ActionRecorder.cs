using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Features.Policies.Shadow;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Writes an action's decision in one transaction: the request row, its timeline entries, its alert or approval, and —
/// for an action that leaves Portcullis — its dispatch job, already claimed by the caller. A demo execution, known before
/// anything is written, goes into the same transaction instead.
/// </summary>
public sealed class ActionRecorder(
    Database database, Timeline timeline, JobStore jobs, ExecutionRecords executions, EventOutbox events,
    Approvals.Email.EmailOutbox emails, Infrastructure.Changes.IChangeFeed changes, TimeProvider time)
{
    public enum Outcome { Recorded, Duplicate, RunNotFound, RunEnded }

    private readonly string _insertDecision =
        $"""
        INSERT INTO action_requests (id, workspace_id, run_id, agent_id, action_type, provider, resource_type, resource_id, payload, evidence,
            callback_url, idempotency_key, request_hash, decision, reason, matched_policies, policy_errors, status, response, created_at, source, context,
            workflow_run_id, credential_id, policy_revision)
        SELECT @id, @workspaceId, @runId, @agentId, @actionType, @provider, @resourceType, @resourceId, @payload, @evidence,
            @callbackUrl, @idempotencyKey, @hash, @decision, @reason, @matched, @errors, @rowStatus, @answer, @createdAt, @source, @context,
            @workflowRunId, @credentialId, @policyRevision
        FROM runs WHERE id = @runId AND agent_id = @agentId AND status IN ('{Runs.RunStatus.Running}', '{Runs.RunStatus.AwaitingApproval}'){database.Dialect.ForNoKeyUpdate}
        ON CONFLICT (agent_id, idempotency_key) DO NOTHING
        """;

    // PostgreSQL: the same insert as a held write whose statement fails when it wrote nothing, so the batch it rides in stops
    // before its COMMIT. The failing cast's text (never folded at planning: it reads the insert's result) names it in the error.
    private const string HeldInsertRefused = "held decision insert refused";

    private string HeldInsert => field ??=
        $"WITH recorded AS ({_insertDecision} RETURNING 1) SELECT CASE (SELECT COUNT(*) FROM recorded) WHEN 1 THEN 1 " +
        $"ELSE ('{HeldInsertRefused} ' || (SELECT COUNT(*) FROM recorded))::int END";

    /// <param name="AnswerJson">The decision as answered (without execution when <paramref name="Job"/> is set).</param>
    /// <param name="Job">The dispatch job the caller now holds and must run.</param>
    /// <param name="RunStatus">The run's status when it had ended (<see cref="Outcome.RunEnded"/>).</param>
    /// <param name="ExecutionEntryWritten">Whether a demo execution's timeline entry was written with the decision's.</param>
    public readonly record struct Result(Outcome Outcome, string? AnswerJson = null, string? ApprovalId = null, ClaimedJob? Job = null,
        string? RunStatus = null, bool ExecutionEntryWritten = false);

    /// <param name="hook">The caller's own writes in this transaction (see <see cref="IDecisionHook"/>), or null.</param>
    public Task<Result> RecordDecisionAsync(DecidedAction action, IDecisionHook? hook, CancellationToken ct)
    {
        var json = DecisionJson.Of(action);
        return WriteHoldingInsertIfAbleAsync(action, hook, held => database.WriteAsync((c, t) => WriteAsync(c, t, action, json, hook, held),
            r => r.Outcome == Outcome.Recorded, ct));
    }

    /// <summary>
    /// PERFORMANCE (PostgreSQL): where nothing after the decision's insert reads or refers to it before the commit — no hook,
    /// no alert, approval or shadow rows (written as they are made), the event types known — the insert is held and goes
    /// out with the rest and the COMMIT: one round trip for the whole decision. An insert that wrote nothing fails that batch,
    /// which then rolls back, and the decision is recorded again the careful way, which says why (the run ended, or the key
    /// was taken). Measured in docs/benchmarks.md.
    /// </summary>
    private async Task<Result> WriteHoldingInsertIfAbleAsync(DecidedAction action, IDecisionHook? hook, Func<bool, Task<Result>> write)
    {
        var able = !database.IsSqlite && hook is null && action.Evaluation.Decision is PolicyDecision.Allow or PolicyDecision.Block
            && action.Shadow is not { Count: > 0 } && action.SubscribedEventTypes is not null;
        if (able)
        {
            try
            {
                return await write(true);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InvalidTextRepresentation
                && e.MessageText.Contains(HeldInsertRefused, StringComparison.Ordinal))
            {
                // Refused: nothing of this attempt was committed.
            }
        }

        return await write(false);
    }

    /// <summary>
    /// Decides inside the recording transaction, under <paramref name="lockName"/>: for policies that count or sum earlier
    /// requests, whose figures hold only if no other decision of the workspace is recorded between reading them and
    /// recording this one. <paramref name="simulate"/> answers the demo execution of an action the decision dispatches.
    /// </summary>
    public Task<Result> DecideAndRecordAsync(string lockName, Func<DbConnection, DbTransaction, Task<DecidedAction>> decide,
        Func<DecidedAction, ConnectorResult?> simulate, IDecisionHook? hook, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            await database.Dialect.LockNameAsync(c, t, lockName);
            var action = await decide(c, t);
            return simulate(action) is { } result
                ? await WriteWithExecutionAsync(c, t, action, Simulated.Of(executions, action, result), DecisionJson.Of(action), hook, heldInsert: false)
                : await WriteAsync(c, t, action, DecisionJson.Of(action), hook, heldInsert: false);
        }, r => r.Outcome == Outcome.Recorded, ct);

    private async Task<Result> WriteAsync(DbConnection c, DbTransaction t, DecidedAction action, DecisionJson json, IDecisionHook? hook, bool heldInsert)
    {
        await (hook?.BeforeAsync(c, t) ?? Task.CompletedTask);
        var decided = await DecideAsync(c, t, action, json, final: null, heldInsert);
        // INVARIANT: the job that sends the action commits with the decision that allows it, so no allowed action is
        // ever without an owner: this caller runs it now, or recovery does when this caller's lease runs out.
        decided = decided.Outcome == Outcome.Recorded && action.Dispatches
            ? decided with { Job = await jobs.InsertClaimedAsync(c, t, action.WorkspaceId, ActionExecutor.JobKind, action.Id) }
            : decided;
        return await AfterAsync(c, t, hook, decided);
    }

    private static async Task<Result> AfterAsync(DbConnection c, DbTransaction t, IDecisionHook? hook, Result decided)
    {
        // Not when a dispatch job was written: the call has yet to go out, so the answer is not what the action came to.
        if (hook is not null && decided.Outcome == Outcome.Recorded && decided.Job is null)
        {
            await hook.AfterAsync(c, t, decided.AnswerJson!);
        }

        return decided;
    }

    /// <summary>
    /// The decision's JSON, serialised before the transaction: SQLite has one writer, and everything done
    /// inside it is done one request at a time.
    /// </summary>
    private sealed record DecisionJson(string Matched, string? Errors, byte[] Hash, string Requested, string Decided, string? Digest)
    {
        public static DecisionJson Of(DecidedAction a)
        {
            var input = a.Input;
            var matched = a.Evaluation.Matched.Select(MatchedPolicyDto.From).ToList();
            var errors = a.Evaluation.Errors.Count == 0 ? null : a.Evaluation.Errors;
            return new(
                JsonSerializer.Serialize(matched, ActionAnswer.Json),
                errors is null ? null : JsonSerializer.Serialize(errors, ActionAnswer.Json),
                input.Hash(),
                Timeline.Serialize(new
                {
                    actionRequestId = a.Id, actionType = input.ActionType, provider = input.Provider, resourceType = input.ResourceType,
                    resourceId = input.ResourceId, payload = input.Payload, evidence = input.Evidence,
                }),
                Timeline.Serialize(new
                {
                    actionRequestId = a.Id, decision = a.Decision, reason = a.Evaluation.Reason, matchedPolicies = matched, errors,
                    policyRevision = a.PolicyRevision,
                }),
                a.Evaluation.Decision == PolicyDecision.RequireApproval
                    ? ArgumentsDigest.Of(input.ActionType, input.Provider, input.ResourceType, input.ResourceId, input.Payload)
                    : null);
        }
    }

    /// <summary>The row's state when its execution is already known (demo mode): written once, never updated.</summary>
    private readonly record struct FinalState(string Status, string Answer);

    /// <param name="execution">A demo execution written in this transaction, whose timeline entry may go with the decision's.</param>
    private async Task<Result> DecideAsync(DbConnection c, DbTransaction t, DecidedAction a, DecisionJson json, FinalState? final, bool heldInsert,
        ExecutionRecord? execution = null)
    {
        var input = a.Input;
        var approvalId = a.Evaluation.Decision == PolicyDecision.RequireApproval ? Ids.New("apr", time) : null;
        var answer = final?.Answer ?? a.Answer(approvalId).Serialize();
        var rowStatus = final?.Status ?? a.Evaluation.Decision switch
        {
            PolicyDecision.Block => ActionStatus.Blocked,
            PolicyDecision.RequireApproval => ActionStatus.PendingApproval,
            _ => a.Dispatches ? ActionStatus.Executing : ActionStatus.Allowed,
        };
        // INVARIANT: an action is recorded only into an open run of its agent, whose row it locks (an end of the run waits for
        // this decision, or this decision sees the run ended), and (agent, idempotency key) is unique: the loser of a race
        // inserts nothing and replays the winner's answer. One statement, so on PostgreSQL one round trip for the three checks;
        // which one refused is read only when one did.
        (string, object?)[] args =
        [
            ("id", a.Id), ("workspaceId", a.WorkspaceId), ("runId", input.RunId), ("agentId", a.AgentId), ("actionType", input.ActionType),
            ("provider", input.Provider), ("resourceType", input.ResourceType), ("resourceId", input.ResourceId), ("payload", input.PayloadJson),
            ("evidence", input.EvidenceJson), ("callbackUrl", input.CallbackUrl), ("idempotencyKey", input.IdempotencyKey), ("hash", json.Hash),
            ("decision", a.Decision), ("reason", a.Evaluation.Reason), ("matched", json.Matched), ("errors", json.Errors), ("rowStatus", rowStatus),
            ("answer", answer), ("createdAt", a.CreatedAt), ("source", input.Source), ("context", input.ContextJson),
            ("workflowRunId", input.Workflow?.WorkflowRunId), ("credentialId", input.CredentialId),
            ("policyRevision", a.PolicyRevision),
        ];
        if (heldInsert)
        {
            await PipelinedWrites.ExecuteAsync(c, t, HeldInsert, args);
        }
        else if (await PreparedSql.ExecuteAsync(c, t, _insertDecision, args) == 0)
        {
            return await RefusedAsync(c, t, input.RunId, a.AgentId);
        }

        await events.ActionDecidedAsync(c, t, a, answer);
        var executionEntry = await WriteTimelineAsync(c, t, a, json, approvalId, execution);
        await ShadowRecorder.WriteAsync(c, t, timeline, a);
        return new(Outcome.Recorded, answer, approvalId, ExecutionEntryWritten: executionEntry);
    }

    /// <summary>Why the decision's insert wrote nothing: the run is gone or ended, else the idempotency key was taken.</summary>
    private static async Task<Result> RefusedAsync(DbConnection c, DbTransaction t, string runId, string agentId)
    {
        var status = (string?)await PreparedSql.ScalarAsync(c, t, "SELECT status FROM runs WHERE id = @runId AND agent_id = @agentId",
            ("runId", runId), ("agentId", agentId));
        return status is null ? new(Outcome.RunNotFound) : !Runs.RunStatus.IsOpen(status) ? new(Outcome.RunEnded, RunStatus: status) : new(Outcome.Duplicate);
    }

    /// <summary>Writes the decision's timeline entries; answers whether <paramref name="execution"/>'s entry went with them.</summary>
    private async Task<bool> WriteTimelineAsync(DbConnection c, DbTransaction t, DecidedAction a, DecisionJson json, string? approvalId,
        ExecutionRecord? execution)
    {
        var input = a.Input;
        // The execution's entry joins the decision's when no alert, approval or shadow entry comes between them.
        var withExecution = execution is not null && a.Evaluation.Decision != PolicyDecision.AllowWithAlert && approvalId is null
            && a.Shadow is not { Count: > 0 };
        await timeline.AppendSystemJsonAsync(c, t, a.WorkspaceId, input.RunId, withExecution
            ? [("action.requested", json.Requested), ("policy.decision", json.Decided), (execution!.TimelineEvent, execution.TimelineJson)]
            : [("action.requested", json.Requested), ("policy.decision", json.Decided)]);

        if (a.Evaluation.Decision == PolicyDecision.AllowWithAlert)
        {
            var alertId = Ids.New("alr", time);
            await c.ExecuteAsync(
                """
                INSERT INTO alerts (id, workspace_id, run_id, agent_id, action_request_id, action_type, reason, policies, created_at)
                VALUES (@alertId, @WorkspaceId, @RunId, @AgentId, @Id, @ActionType, @Reason, @policies, @CreatedAt)
                """,
                new { alertId, a.WorkspaceId, input.RunId, a.AgentId, a.Id, input.ActionType, a.Evaluation.Reason, policies = json.Matched, a.CreatedAt }, t);
            await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "alert.raised", new { alertId, actionRequestId = a.Id, reason = a.Evaluation.Reason });
        }

        if (approvalId is not null)
        {
            await ApprovalRequests.WriteAsync(c, t, timeline, changes, a, approvalId, json.Digest);
            await events.ApprovalAsync(c, t, a.WorkspaceId, approvalId, EventTypes.ApprovalRequested);
            await emails.QueueAsync(c, t, a.WorkspaceId, approvalId, a.ApprovalRouting?.Group, Approvals.Email.EmailOutbox.Requested);
        }

        return withExecution;
    }

    /// <summary>
    /// A simulated execution is known before anything is written (the demo connector is pure and
    /// deterministic), so the decision and its execution go into one transaction: half the writer's work.
    /// </summary>
    public Task<Result> RecordDecisionWithExecutionAsync(DecidedAction action, ConnectorResult result, IDecisionHook? hook, CancellationToken ct)
    {
        var simulated = Simulated.Of(executions, action, result);
        var json = DecisionJson.Of(action);
        return WriteHoldingInsertIfAbleAsync(action, hook, held => database.WriteAsync((c, t) => WriteWithExecutionAsync(c, t, action, simulated, json, hook, held),
            r => r.Outcome == Outcome.Recorded, ct));
    }

    private async Task<Result> WriteWithExecutionAsync(DbConnection c, DbTransaction t, DecidedAction action, Simulated simulated, DecisionJson json,
        IDecisionHook? hook, bool heldInsert)
    {
        await (hook?.BeforeAsync(c, t) ?? Task.CompletedTask);
        var decided = await DecideAsync(c, t, action, json, simulated.Final, heldInsert, simulated.Execution);
        if (decided.Outcome == Outcome.Recorded)
        {
            await executions.WriteWithDecisionAsync(c, t, action, simulated.Execution, timelineWritten: decided.ExecutionEntryWritten);
        }

        return await AfterAsync(c, t, hook, decided);
    }

    /// <summary>A demo execution and the row's final state it gives.</summary>
    private sealed record Simulated(ExecutionRecord Execution, FinalState Final)
    {
        public static Simulated Of(ExecutionRecords executions, DecidedAction action, ConnectorResult result)
        {
            var execution = executions.Of(action.Input.Provider!, action.Input.ActionType, action.Id, result);
            return new(execution, new FinalState(execution.Row.Status, action.Answer(execution: execution.Dto).Serialize()));
        }
    }
}
