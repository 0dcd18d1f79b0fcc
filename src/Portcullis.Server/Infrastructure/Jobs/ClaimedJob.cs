namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>Job states. A job is written <c>pending</c> (or already claimed, <c>running</c>) and ends <c>done</c>.</summary>
public static class JobStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
}

/// <summary>A row of <c>jobs</c> as the worker finds it.</summary>
public sealed class JobRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string SubjectId { get; init; } = "";
    public string Status { get; init; } = "";
    public long Attempts { get; init; }
    public string? LeaseOwner { get; init; }
    public long NextAt { get; init; }
}

/// <summary>
/// A job this instance holds the lease of. <see cref="StartedBefore"/> is how many times the work was started before
/// this claim: more than zero means an earlier holder may have done it (or part of it) before it stopped.
/// </summary>
public sealed record ClaimedJob(string Id, string WorkspaceId, string Kind, string SubjectId, long StartedBefore);
