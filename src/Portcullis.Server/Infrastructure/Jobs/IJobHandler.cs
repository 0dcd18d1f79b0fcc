namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>
/// Runs one kind of job (<c>dispatch</c>, and later workflow steps and event deliveries). The handler completes the job
/// itself, through <see cref="JobStore.CompleteAsync"/>, in the transaction that records its result.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    Task RunAsync(ClaimedJob job, CancellationToken ct);
}
