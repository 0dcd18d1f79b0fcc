using System.Diagnostics;
using System.Globalization;

namespace Portcullis.Policies.Tooling;

/// <summary>
/// The work behind <c>portcullis policy check | eval | bench</c>. Exit codes: 0 success, 1 the
/// policies have problems (printed), 2 a file is unreadable or not the expected JSON.
/// </summary>
public static class PolicyTool
{
    /// <summary>Compiles a policies file and prints every problem with policy name, line:column, code, message and excerpt.</summary>
    public static int Check(string policiesFile, TextWriter stdout, TextWriter stderr)
    {
        var set = PolicyCheck.Load(policiesFile, stdout, stderr, out var exitCode, out var count);
        if (set is not null)
        {
            stdout.WriteLine($"{policiesFile}: {count} {(count == 1 ? "policy" : "policies")}, no problems");
        }

        return exitCode;
    }

    /// <summary>
    /// Evaluates one request against a policies file and prints
    /// <c>{ decision, reason, matchedPolicies: [{name, decision, reason, priority}], errors: [{policy, code, message}] }</c>.
    /// </summary>
    public static int Eval(string policiesFile, string requestFile, TextWriter stdout, TextWriter stderr, string defaultDecision = "allow")
    {
        if (!PolicyDecisions.TryParse(defaultDecision, out var fallback))
        {
            stderr.WriteLine($"default decision `{defaultDecision}` must be allow, allow_with_alert, require_approval or block");
            return PolicyCheck.Unreadable;
        }

        var set = PolicyCheck.Load(policiesFile, stderr, stderr, out var exitCode, out _);
        var request = set is null ? null : RequestFile.Load(requestFile, stderr);
        if (set is null || request is null)
        {
            return set is null ? exitCode : PolicyCheck.Unreadable;
        }

        var evaluation = set.Evaluate(request.Context, fallback, request.Velocity);
        stdout.WriteLine(EvaluationJson.Write(evaluation));
        return PolicyCheck.Ok;
    }

    /// <summary>Evaluates one request repeatedly for <paramref name="seconds"/> and prints throughput, p50/p99 latency and allocation per decision.</summary>
    public static int Bench(string policiesFile, string requestFile, double seconds, TextWriter stdout, TextWriter stderr)
    {
        if (!(seconds > 0 && seconds <= 3600))
        {
            stderr.WriteLine($"seconds must be between 0 and 3600, found `{seconds.ToString(CultureInfo.InvariantCulture)}`");
            return PolicyCheck.Unreadable;
        }

        var set = PolicyCheck.Load(policiesFile, stderr, stderr, out var exitCode, out var count);
        var request = set is null ? null : RequestFile.Load(requestFile, stderr);
        if (set is null || request is null)
        {
            return set is null ? exitCode : PolicyCheck.Unreadable;
        }

        var (ctx, velocity) = (request.Context, request.Velocity);
        var result = set.Evaluate(ctx, PolicyDecision.Allow, velocity);
        RunFor(TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 0.2, 2)), () => set.Evaluate(ctx, PolicyDecision.Allow, velocity), null);

        var meter = new LatencyMeter();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var elapsed = RunFor(TimeSpan.FromSeconds(seconds), () => set.Evaluate(ctx, PolicyDecision.Allow, velocity), meter);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"policies: {count}, decision: {PolicyDecisions.ToWire(result.Decision)} ({result.Reason})");
        stdout.WriteLine(string.Format(inv, "decisions: {0:N0} in {1:F2} s = {2:N0}/s", meter.Calls, elapsed.TotalSeconds, meter.Calls / elapsed.TotalSeconds));
        stdout.WriteLine(string.Format(inv, "latency: p50 {0:F2} µs, p99 {1:F2} µs", meter.PercentileMicroseconds(50), meter.PercentileMicroseconds(99)));
        stdout.WriteLine(string.Format(inv, "allocated: {0:F0} B per decision", (double)allocated / Math.Max(1, meter.Calls)));
        return PolicyCheck.Ok;
    }

    /// <summary>Calls <paramref name="work"/> until <paramref name="duration"/> has passed, timing each call when a meter is given.</summary>
    private static TimeSpan RunFor(TimeSpan duration, Func<PolicyEvaluation> work, LatencyMeter? meter)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now;
        do
        {
            var before = Stopwatch.GetTimestamp();
            work();
            now = Stopwatch.GetTimestamp();
            meter?.Record(now - before);
        }
        while (now < end);

        return Stopwatch.GetElapsedTime(start, now);
    }
}
