namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>Section <c>Portcullis:Jobs</c>: how durable jobs are leased and polled.</summary>
public sealed class JobOptions
{
    public const string Section = "Portcullis:Jobs";

    /// <summary>
    /// How long a claim holds without renewal. An instance renews its in-flight jobs every fifth of this, so only a
    /// dead (or frozen) instance loses a lease; after a crash its jobs are reclaimed this long after its last renewal.
    /// </summary>
    public int LeaseSeconds { get; set; } = 4;

    /// <summary>How often the worker looks for due jobs: pending ones and running ones whose lease ran out.</summary>
    public int PollIntervalMs { get; set; } = 500;

    /// <summary>Due jobs claimed per poll.</summary>
    public int BatchSize { get; set; } = 20;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan RenewEvery => TimeSpan.FromMilliseconds(LeaseSeconds * 200);
}
