namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>
/// This process's identity as a lease holder: new at every start, so a restarted server never mistakes the leases of
/// the process it replaces for its own.
/// </summary>
public sealed class JobInstance(TimeProvider time)
{
    public string Id { get; } = Ids.New("ins", time);
}
