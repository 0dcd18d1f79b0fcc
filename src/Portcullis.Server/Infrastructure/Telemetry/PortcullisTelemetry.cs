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

    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    public static void RecordDecision(string decision, string actionType) =>
        Decisions.Add(1, new KeyValuePair<string, object?>("decision", decision), new KeyValuePair<string, object?>("action_type", actionType));
}
