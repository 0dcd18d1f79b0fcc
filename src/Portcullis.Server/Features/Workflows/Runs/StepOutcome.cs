using System.Text.Json;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Approvals;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// What a step's action request came to, read from the engine's answer (or, once an approval was decided, from the action
/// request row): the step's status, and the run's when the step ends it.
/// </summary>
public sealed record StepOutcome(
    string StepStatus, string? RunStatus, string? ActionRequestId, string? Decision, string? ApprovalRequestId, string? OutputJson,
    WorkflowError? Error)
{
    /// <summary>Still held for a human: the run waits.</summary>
    public bool AwaitsApproval => StepStatus == Runs.StepStatus.AwaitingApproval;

    /// <summary>The call is in flight elsewhere (another instance, or recovery): look again shortly.</summary>
    public bool InFlight => StepStatus == Runs.StepStatus.Running;

    public static StepOutcome Failed(string code, string message, string stepId, string? actionRequestId = null, string? decision = null) =>
        new(Runs.StepStatus.Failed, WorkflowRunStatus.Failed, actionRequestId, decision, null, null, new WorkflowError(code, message, stepId));

    /// <summary>From the answer to <c>requestAction</c> (decided now, or replayed).</summary>
    public static StepOutcome FromAnswer(string answerJson, string stepId, string? rowStatus = null)
    {
        using var doc = JsonDocument.Parse(answerJson);
        var root = doc.RootElement;
        var id = root.GetProperty("actionRequestId").GetString();
        var decision = root.GetProperty("decision").GetString();
        var approvalId = root.TryGetProperty("approvalRequestId", out var a) ? a.GetString() : null;
        var reason = root.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "";
        StepOutcome Make(string step, string? run, string? output = null, WorkflowError? error = null) =>
            new(step, run, id, decision, approvalId, output, error);

        if (rowStatus is ApprovalTransitions.ActionRejected or ApprovalTransitions.ActionExpired)
        {
            var rejected = rowStatus == ApprovalTransitions.ActionRejected;
            return Make(Runs.StepStatus.Rejected, WorkflowRunStatus.Failed, error: new WorkflowError(
                rejected ? WorkflowErrorCodes.ApprovalRejected : WorkflowErrorCodes.ApprovalExpired,
                rejected ? "the approval was rejected" : "the approval expired before anyone decided", stepId));
        }

        switch (decision)
        {
            case "block":
                return Make(Runs.StepStatus.Blocked, WorkflowRunStatus.Blocked, error: new WorkflowError(WorkflowErrorCodes.Blocked, reason, stepId));
            case "require_approval" when rowStatus is null or ActionStatus.PendingApproval:
                return Make(Runs.StepStatus.AwaitingApproval, null);
        }

        if (!root.TryGetProperty("execution", out var execution))
        {
            // A custom action type: allowed and recorded, never dispatched, so there is no output.
            return rowStatus is null or ActionStatus.Allowed ? Make(Runs.StepStatus.Completed, null) : Make(Runs.StepStatus.Running, null);
        }

        return execution.GetProperty("status").GetString() switch
        {
            ActionStatus.Executed => Make(Runs.StepStatus.Completed, null,
                execution.TryGetProperty("response_payload", out var p) && p.ValueKind != JsonValueKind.Null ? p.GetRawText() : null),
            ActionStatus.Failed => Make(Runs.StepStatus.Failed, WorkflowRunStatus.Failed, error: new WorkflowError(WorkflowErrorCodes.ExecutionFailed,
                ErrorMessage(execution) ?? "the connector call failed", stepId)),
            ActionStatus.Unknown => Make(Runs.StepStatus.Unknown, WorkflowRunStatus.Failed, error: new WorkflowError(WorkflowErrorCodes.OutcomeUnknown,
                ErrorMessage(execution) ?? "the outcome of the call is unknown", stepId)),
            _ => Make(Runs.StepStatus.Running, null),
        };
    }

    /// <summary>The step's row as this outcome leaves it (started now unless it had started already).</summary>
    public StepRow ApplyTo(StepRow row, long now)
    {
        row.StartedAt ??= now;
        row.Status = StepStatus;
        row.ActionRequestId = ActionRequestId ?? row.ActionRequestId;
        row.Decision = Decision ?? row.Decision;
        row.ApprovalRequestId = ApprovalRequestId ?? row.ApprovalRequestId;
        row.Output = OutputJson;
        row.Error = Error?.Serialize();
        row.CompletedAt = Runs.StepStatus.IsOpen(row.Status) ? null : now;
        return row;
    }

    private static string? ErrorMessage(JsonElement execution) =>
        execution.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : null;
}
