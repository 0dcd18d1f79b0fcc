using System.Diagnostics;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// A run's own trace: the <c>traceparent</c> of the request that opened it is stored with the run, and work done on the
/// run later in other traces (an approval decided by a person, a workflow step run by the worker) starts a span linked
/// to it, so a trace viewer can go from one to the other.
/// </summary>
public static class RunTrace
{
    /// <summary>The current trace as a W3C <c>traceparent</c>, when a sampled one is current (else null: nothing to link to).</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>Starts <paramref name="name"/> linked to the run's trace (when it had one); null when nobody listens.</summary>
    public static Activity? StartLinked(string name, string runId, string? runTraceParent)
    {
        IEnumerable<ActivityLink>? links = runTraceParent is not null && ActivityContext.TryParse(runTraceParent, null, out var run)
            ? [new ActivityLink(run)]
            : null;
        var activity = PortcullisTelemetry.Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("portcullis.run.id", runId);
        return activity;
    }
}
