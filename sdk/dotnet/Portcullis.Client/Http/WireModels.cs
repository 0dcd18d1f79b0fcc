namespace Portcullis.Client.Http;

/// <summary>Bodies as the wire carries them, kept apart from the public records.</summary>
internal static class Wire
{
    public sealed record EventsBody(string RunId, IReadOnlyList<EventBody> Events);

    /// <summary>Times go out in UTC with a <c>Z</c>, as the API documents them.</summary>
    public sealed record EventBody(string EventType, long SequenceNo, object? Payload, DateTime? OccurredAt)
    {
        public static EventBody From(RunEvent e) => new(e.EventType, e.SequenceNo, e.Payload, e.OccurredAt?.UtcDateTime);
    }

    public sealed record ActionBody(
        string RunId,
        string ActionType,
        string? Provider,
        string? ResourceType,
        string? ResourceId,
        object Payload,
        object? Evidence,
        string? IdempotencyKey, // null only on a check, which records nothing
        Uri? CallbackUrl);

    public sealed record EndRunBody(string RunId, RunEndStatus Status);

    /// <summary>A null input is left out, so the server applies its default <c>{}</c>.</summary>
    public sealed record WorkflowRunBody(object? Input);

    /// <summary>The action answer before it becomes one of the <see cref="ActionResult"/> records.</summary>
    public sealed record ActionAnswer(
        string? Decision,
        string? Reason,
        string? ActionRequestId,
        IReadOnlyList<MatchedPolicy>? MatchedPolicies,
        Execution? Execution,
        string? ApprovalRequestId,
        long? PolicyRevision);
}
