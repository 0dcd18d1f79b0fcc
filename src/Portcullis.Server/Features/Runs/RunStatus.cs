namespace Portcullis.Server.Features.Runs;

/// <summary>Run states and the transitions between them.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Blocked = "blocked";

    public static readonly string[] All = [Running, AwaitingApproval, Completed, Failed, Blocked];

    /// <summary>The statuses an agent may end a run with.</summary>
    public static readonly string[] Final = [Completed, Failed, Blocked];

    /// <summary>A run takes events and action requests only while open.</summary>
    public static bool IsOpen(string status) => status is Running or AwaitingApproval;
}
