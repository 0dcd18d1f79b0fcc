using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Policies;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Writes an action request in two steps: the decision (with its timeline entries, alert or approval),
/// and, for dispatched actions, the execution. The connector call happens between them, outside any
/// transaction.
/// </summary>
public sealed class ActionRecorder(Database database, Timeline timeline, AuditTrail audit, TimeProvider time)
{
    public enum Outcome { Recorded, Duplicate, RunNotFound, RunEnded }

    public readonly record struct Result(Outcome Outcome, string? AnswerJson = null, string? ApprovalId = null);

    public Task<Result> RecordDecisionAsync(DecidedAction action, CancellationToken ct) =>
        database.WriteAsync((c, t) => DecideAsync(c, t, action), r => r.Outcome == Outcome.Recorded, ct);

    private async Task<Result> DecideAsync(DbConnection c, DbTransaction t, DecidedAction a)
    {
        var input = a.Input;
        var status = (string?)await PreparedSql.ScalarAsync(c, t,
            "SELECT status FROM runs WHERE id = @runId AND agent_id = @agentId" + (database.IsSqlite ? "" : " FOR NO KEY UPDATE"),
            ("runId", input.RunId), ("agentId", a.AgentId));
        if (status is null)
        {
            return new(Outcome.RunNotFound);
        }

        if (!RunStatus.IsOpen(status))
        {
            return new(Outcome.RunEnded);
        }

        var approvalId = a.Evaluation.Decision == PolicyDecision.RequireApproval ? Ids.New("apr", time) : null;
        var answer = a.Dispatches ? null : a.Answer(approvalId).Serialize();
        var rowStatus = a.Evaluation.Decision switch
        {
            PolicyDecision.Block => ActionStatus.Blocked,
            PolicyDecision.RequireApproval => ActionStatus.PendingApproval,
            _ => a.Dispatches ? ActionStatus.Executing : ActionStatus.Allowed,
        };
        var matched = JsonSerializer.Serialize(a.Evaluation.Matched.Select(MatchedPolicyDto.From), ActionAnswer.Json);
        var errors = a.Evaluation.Errors.Count == 0 ? null : JsonSerializer.Serialize(a.Evaluation.Errors, ActionAnswer.Json);
        // INVARIANT: (agent, idempotency key) is unique; the loser of a race inserts nothing and replays the winner's answer.
        var inserted = await PreparedSql.ExecuteAsync(c, t,
            """
            INSERT INTO action_requests (id, workspace_id, run_id, agent_id, action_type, provider, resource_type, resource_id, payload, evidence,
                callback_url, idempotency_key, request_hash, decision, reason, matched_policies, policy_errors, status, response, created_at)
            VALUES (@id, @workspaceId, @runId, @agentId, @actionType, @provider, @resourceType, @resourceId, @payload, @evidence,
                @callbackUrl, @idempotencyKey, @hash, @decision, @reason, @matched, @errors, @rowStatus, @answer, @createdAt)
            ON CONFLICT (agent_id, idempotency_key) DO NOTHING
            """,
            ("id", a.Id), ("workspaceId", a.WorkspaceId), ("runId", input.RunId), ("agentId", a.AgentId), ("actionType", input.ActionType),
            ("provider", input.Provider), ("resourceType", input.ResourceType), ("resourceId", input.ResourceId), ("payload", input.PayloadJson),
            ("evidence", input.EvidenceJson), ("callbackUrl", input.CallbackUrl), ("idempotencyKey", input.IdempotencyKey), ("hash", input.Hash()),
            ("decision", a.Decision), ("reason", a.Evaluation.Reason), ("matched", matched), ("errors", errors), ("rowStatus", rowStatus),
            ("answer", answer), ("createdAt", a.CreatedAt));
        if (inserted == 0)
        {
            return new(Outcome.Duplicate);
        }

        await WriteTimelineAsync(c, t, a, approvalId);
        return new(Outcome.Recorded, answer, approvalId);
    }

    private async Task WriteTimelineAsync(DbConnection c, DbTransaction t, DecidedAction a, string? approvalId)
    {
        var input = a.Input;
        var matched = a.Evaluation.Matched.Select(MatchedPolicyDto.From).ToList();
        await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "action.requested", new
        {
            actionRequestId = a.Id, actionType = input.ActionType, provider = input.Provider, resourceType = input.ResourceType,
            resourceId = input.ResourceId, payload = input.Payload, evidence = input.Evidence,
        });
        await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "policy.decision", new
        {
            actionRequestId = a.Id, decision = a.Decision, reason = a.Evaluation.Reason, matchedPolicies = matched,
            errors = a.Evaluation.Errors.Count == 0 ? null : a.Evaluation.Errors,
        });

        if (a.Evaluation.Decision == PolicyDecision.AllowWithAlert)
        {
            var alertId = Ids.New("alr", time);
            await c.ExecuteAsync(
                """
                INSERT INTO alerts (id, workspace_id, run_id, agent_id, action_request_id, action_type, reason, policies, created_at)
                VALUES (@alertId, @WorkspaceId, @RunId, @AgentId, @Id, @ActionType, @Reason, @policies, @CreatedAt)
                """,
                new { alertId, a.WorkspaceId, input.RunId, a.AgentId, a.Id, input.ActionType, a.Evaluation.Reason,
                    policies = JsonSerializer.Serialize(matched, ActionAnswer.Json), a.CreatedAt }, t);
            await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "alert.raised", new { alertId, actionRequestId = a.Id, reason = a.Evaluation.Reason });
        }

        if (approvalId is not null)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO approvals (id, workspace_id, action_request_id, run_id, agent_id, status, approvals_required, created_at, expires_at)
                VALUES (@approvalId, @WorkspaceId, @Id, @RunId, @AgentId, 'pending', @required, @CreatedAt, @ApprovalExpiresAt)
                """,
                new { approvalId, a.WorkspaceId, a.Id, input.RunId, a.AgentId, required = a.ApprovalsRequired, a.CreatedAt, a.ApprovalExpiresAt }, t);
            await c.ExecuteAsync("UPDATE runs SET status = 'awaiting_approval' WHERE id = @RunId AND status = 'running'", new { input.RunId }, t);
            await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "approval.requested", new
            {
                approvalRequestId = approvalId, actionRequestId = a.Id, approvalsRequired = a.ApprovalsRequired,
                expiresAt = Times.ToIso(a.ApprovalExpiresAt),
            });
        }
    }

    /// <summary>Stores the execution, the final answer, the timeline entry and the audit entry in one transaction.</summary>
    public Task<ExecutionDto> RecordExecutionAsync(string workspaceId, string runId, string actionRequestId, string actionType, string provider,
        ConnectorResult result, Func<ExecutionDto, string?> answerFor, CancellationToken ct)
    {
        var (row, dto) = ExecutionOf(provider, actionType, result);
        var answer = answerFor(dto);
        return database.WriteAsync(async (c, t) =>
        {
            await WriteExecutionAsync(c, t, workspaceId, runId, actionRequestId, row, dto, answer);
            return dto;
        }, ct);
    }

    /// <summary>
    /// A simulated execution is known before anything is written (the demo connector is pure and
    /// deterministic), so the decision and its execution go into one transaction: half the writer's work.
    /// </summary>
    public Task<Result> RecordDecisionWithExecutionAsync(DecidedAction action, ConnectorResult result, CancellationToken ct)
    {
        var (row, dto) = ExecutionOf(action.Input.Provider!, action.Input.ActionType, result);
        var answer = action.Answer(execution: dto).Serialize();
        return database.WriteAsync(async (c, t) =>
        {
            var decided = await DecideAsync(c, t, action);
            if (decided.Outcome != Outcome.Recorded)
            {
                return decided;
            }

            await WriteExecutionAsync(c, t, action.WorkspaceId, action.Input.RunId, action.Id, row, dto, answer);
            return decided with { AnswerJson = answer };
        }, r => r.Outcome == Outcome.Recorded, ct);
    }

    private (ExecutionRow Row, ExecutionDto Dto) ExecutionOf(string provider, string actionType, ConnectorResult result)
    {
        var row = new ExecutionRow
        {
            Id = Ids.New("exe", time),
            Provider = provider,
            ActionType = actionType,
            Status = result.Succeeded ? ActionStatus.Executed : ActionStatus.Failed,
            Attempts = result.Attempts,
            Simulated = result.Simulated,
            StartedAt = result.StartedAt.ToUnixTimeMilliseconds(),
            CompletedAt = result.CompletedAt.ToUnixTimeMilliseconds(),
            Error = result.Error is { } e
                ? JsonSerializer.Serialize(new ExecutionErrorDto(e.ProviderCode, e.Message, e.ProviderStatus, e.ProviderRequestId))
                : null,
            ResponsePayload = result.ResponsePayload?.GetRawText(),
        };
        return (row, row.ToDto());
    }

    private async Task WriteExecutionAsync(DbConnection c, DbTransaction t, string workspaceId, string runId, string actionRequestId,
        ExecutionRow row, ExecutionDto dto, string? answer)
    {
        await PreparedSql.ExecuteAsync(c, t,
            """
            INSERT INTO executions (id, workspace_id, action_request_id, provider, action_type, status, attempts, simulated, started_at, completed_at, error, response_payload)
            VALUES (@id, @workspaceId, @actionRequestId, @provider, @actionType, @status, @attempts, @simulated, @startedAt, @completedAt, @error, @responsePayload)
            """,
            ("id", row.Id), ("workspaceId", workspaceId), ("actionRequestId", actionRequestId), ("provider", row.Provider), ("actionType", row.ActionType),
            ("status", row.Status), ("attempts", row.Attempts), ("simulated", row.Simulated), ("startedAt", row.StartedAt), ("completedAt", row.CompletedAt),
            ("error", row.Error), ("responsePayload", row.ResponsePayload));
        await PreparedSql.ExecuteAsync(c, t,
            "UPDATE action_requests SET status = @status, response = COALESCE(@answer, response) WHERE id = @actionRequestId",
            ("status", row.Status), ("answer", answer), ("actionRequestId", actionRequestId));
        var succeeded = row.Status == ActionStatus.Executed;
        await timeline.AppendSystemAsync(c, t, workspaceId, runId, succeeded ? "action.executed" : "action.failed",
            new { actionRequestId, execution = dto });
        await audit.AppendAsync(c, t, workspaceId, Actor.System, succeeded ? "action.executed" : "action.failed", "action_request", actionRequestId,
            new { executionId = row.Id, provider = row.Provider, actionType = row.ActionType, row.Status, row.Simulated, row.Attempts });
    }
}
