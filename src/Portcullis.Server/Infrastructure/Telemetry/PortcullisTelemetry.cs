using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// The server's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Portcullis</c>, and the
/// instruments on them (names under <c>portcullis.</c>, documented in docs/observability.md). Instruments are static:
/// recording on one nobody listens to costs a branch, so the hot path pays nothing when telemetry is off.
/// </summary>
public static class PortcullisTelemetry
{
    public const string Name = "Portcullis";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "portcullis.decisions", "{decision}", "Governed-action decisions recorded, by decision and action type");

    public static readonly Counter<long> Executions = Meter.CreateCounter<long>(
        "portcullis.executions", "{execution}", "Connector executions, by provider and status");

    public static readonly Histogram<double> PolicyEvaluation = Meter.CreateHistogram<double>(
        "portcullis.policy.evaluation.duration", "s", "Time to evaluate the policy sets of one decision");

    public static readonly Histogram<double> ConnectorCall = Meter.CreateHistogram<double>(
        "portcullis.connector.call.duration", "s", "Time of one connector execution (retries included), by provider and status");

    public static readonly Histogram<double> ApprovalWait = Meter.CreateHistogram<double>(
        "portcullis.approval.wait.duration", "s", "Time from an approval request to its decision, by outcome");

    public static readonly Counter<long> EventsIngested = Meter.CreateCounter<long>(
        "portcullis.events.ingested", "{event}", "Agent events accepted into run timelines");

    public static readonly Counter<long> JobsReclaimed = Meter.CreateCounter<long>(
        "portcullis.jobs.reclaimed", "{job}", "Jobs whose holder's lease ran out and that another worker claimed, by kind");

    public static readonly ObservableGauge<long> JobsDue = Meter.CreateObservableGauge(
        "portcullis.jobs.due", ObserveJobsDue, "{job}", "Jobs due (pending, or whose lease ran out) at the worker's last pass, by kind");

    private static volatile IReadOnlyDictionary<string, long> s_jobsDue = new Dictionary<string, long>();

    /// <summary>What the job worker found due in its last pass (up to its batch size), for <see cref="JobsDue"/>.</summary>
    public static void SetJobsDue(IReadOnlyDictionary<string, long> dueByKind) => s_jobsDue = dueByKind;

    private static IEnumerable<Measurement<long>> ObserveJobsDue() =>
        s_jobsDue.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("kind", kv.Key)));

    /// <summary>
    /// An approval's wait, from request to decision (or expiry): the histogram, and a span event on the current trace
    /// naming the run, so the wait can be found from the run's spans.
    /// </summary>
    public static void RecordApprovalWait(string runId, string approvalId, string outcome, long waitedMs)
    {
        ApprovalWait.Record(waitedMs / 1000.0, new KeyValuePair<string, object?>("outcome", outcome));
        if (Activity.Current is { IsAllDataRequested: true } current)
        {
            current.AddEvent(new ActivityEvent("portcullis.approval.decided", tags: new ActivityTagsCollection
            {
                ["portcullis.run.id"] = runId, ["portcullis.approval.id"] = approvalId, ["portcullis.approval.outcome"] = outcome,
                ["portcullis.approval.wait_ms"] = waitedMs,
            }));
        }
    }

    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    public static void RecordDecision(string decision, string actionType) =>
        Decisions.Add(1, new KeyValuePair<string, object?>("decision", decision), new KeyValuePair<string, object?>("action_type", actionType));
}
