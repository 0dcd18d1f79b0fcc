namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>A workflow run's states. <see cref="Running"/> and <see cref="AwaitingApproval"/> are the open ones.</summary>
public static class WorkflowRunStatus
{
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Blocked = "blocked";
    public const string Cancelled = "cancelled";

    public static bool IsOpen(string status) => status is Running or AwaitingApproval;

    /// <summary>The Portcullis run's final status for a workflow run's (runs know no <c>cancelled</c>).</summary>
    public static string RunStatusOf(string status) => status switch
    {
        Completed => Features.Runs.RunStatus.Completed,
        Blocked => Features.Runs.RunStatus.Blocked,
        _ => Features.Runs.RunStatus.Failed,
    };
}

/// <summary>A step's states.</summary>
public static class StepStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Completed = "completed";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
    public const string Blocked = "blocked";
    public const string Rejected = "rejected";
    public const string Unknown = "unknown";

    /// <summary>Still to be decided: the runner takes the first step in one of these.</summary>
    public static bool IsOpen(string status) => status is Pending or Running or AwaitingApproval;
}

/// <summary>Codes of <c>error</c> on a step or a workflow run.</summary>
public static class WorkflowErrorCodes
{
    public const string TemplateUnresolved = "template_unresolved";
    public const string WhenFailed = "when_failed";
    public const string InvalidPayload = "invalid_payload";
    public const string Blocked = "blocked";
    public const string ApprovalRejected = "approval_rejected";
    public const string ApprovalExpired = "approval_expired";
    public const string ExecutionFailed = "execution_failed";
    public const string OutcomeUnknown = "outcome_unknown";
    public const string RunEnded = "run_ended";
    public const string Cancelled = "cancelled";
    public const string NotCancellable = "not_cancellable";
}
