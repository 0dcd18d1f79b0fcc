namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// The event types a subscription can ask for. On the wire a CloudEvent's <c>type</c> is <see cref="Prefix"/> + the name,
/// e.g. <c>dev.portcullis.action.executed</c>.
/// </summary>
public static class EventTypes
{
    public const string Prefix = "dev.portcullis.";

    public const string ActionDecided = "action.decided";
    public const string ActionExecuted = "action.executed";
    public const string ActionFailed = "action.failed";
    public const string ActionOutcomeUnknown = "action.outcome_unknown";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string RunStarted = "run.started";
    public const string RunEnded = "run.ended";
    public const string CredentialNeedsReconnect = "credential.needs_reconnect";
    public const string PolicyChanged = "policy.changed";
    public const string WorkflowRunCompleted = "workflow.run.completed";
    public const string WorkflowRunFailed = "workflow.run.failed";

    /// <summary>Sent only by "send test event", to the one subscription tested; nobody subscribes to it.</summary>
    public const string SubscriptionTest = "subscription.test";

    public static readonly IReadOnlyList<string> All =
    [
        ActionDecided, ActionExecuted, ActionFailed, ActionOutcomeUnknown, ApprovalRequested, ApprovalDecided, RunStarted, RunEnded,
        CredentialNeedsReconnect, PolicyChanged, WorkflowRunCompleted, WorkflowRunFailed,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>The stored form of a type list: comma-bracketed, so <c>LIKE '%,type,%'</c> matches one type exactly.</summary>
    public static string Store(IEnumerable<string> types) => "," + string.Join(',', types.Distinct(StringComparer.Ordinal)) + ",";

    public static IReadOnlyList<string> Load(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
