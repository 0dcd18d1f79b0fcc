using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Portcullis.Server.Features.Dashboard.Overview;

/// <summary>Turns the overview's figures into chart columns, each bar linking to the list it counts.</summary>
public sealed class OverviewCharts(OverviewFigures figures)
{
    private static readonly string[] DecisionOrder = ["allow", "allow_with_alert", "require_approval", "block"];

    public OverviewFigures Figures => figures;

    /// <summary>Requests per time bucket, stacked by decision; a segment opens the runs started in its bucket with a request so decided.</summary>
    public IReadOnlyList<ChartColumn> Decisions()
    {
        var window = figures.Window;
        var bucketMs = (long)window.Bucket.TotalMilliseconds;
        var hourly = window.Bucket < TimeSpan.FromDays(1);
        return Enumerable.Range(0, window.Buckets).Select(b =>
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(figures.Since + b * bucketMs);
            var label = start.ToString(hourly ? "HH:00" : "MM-dd", CultureInfo.InvariantCulture);
            var segments = DecisionOrder.Select(d => new ChartSegment(d,
                figures.Decisions.Where(x => x.Bucket == b && x.Label == d).Sum(x => x.Count), "",
                RunsUrl(from: start, to: start.AddMilliseconds(bucketMs), decision: d)))
                .Select(s => s with { Description = $"{s.Value} {s.Series.Replace('_', ' ')} from {start:yyyy-MM-dd HH:mm} UTC" })
                .ToList();
            return new ChartColumn(label, segments);
        }).ToList();
    }

    public long DecisionTotal(string decision) => figures.Decisions.Where(x => x.Label == decision).Sum(x => x.Count);

    /// <summary>Pending approvals by how long they have waited; every bar opens the queue.</summary>
    public IReadOnlyList<ChartColumn> PendingAges()
    {
        (string Label, TimeSpan Below)[] ages =
            [("under 1 hour", TimeSpan.FromHours(1)), ("1 to 24 hours", TimeSpan.FromDays(1)), ("1 to 7 days", TimeSpan.FromDays(7)), ("over 7 days", TimeSpan.MaxValue)];
        var waits = figures.PendingCreatedAt.Select(at => TimeSpan.FromMilliseconds(figures.Now - at)).ToList();
        var lower = TimeSpan.Zero;
        var rows = new List<ChartColumn>();
        foreach (var (label, below) in ages)
        {
            var from = lower;
            var count = waits.Count(w => w >= from && w < below);
            rows.Add(new ChartColumn(label, [new ChartSegment(below > TimeSpan.FromDays(1) ? "old" : "pending", count, $"{count} pending {label}", "/approvals")]));
            lower = below;
        }

        return rows;
    }

    /// <summary>Executions per provider, stacked by status; a bar opens the runs of the window.</summary>
    public IReadOnlyList<ChartColumn> Executions() => figures.Executions.GroupBy(e => e.First)
        .OrderByDescending(g => g.Sum(e => e.Count))
        .Select(g => new ChartColumn(g.Key, g.Select(e => new ChartSegment(
            e.Second is "executed" or "failed" ? e.Second : "other", e.Count, $"{g.Key}: {e.Count} {e.Second}", RunsUrl())).ToList()))
        .ToList();

    /// <summary>The five agents with the most action requests in the window; a bar opens the agent's runs.</summary>
    public IReadOnlyList<ChartColumn> TopAgents() => figures.Agents.OrderByDescending(a => a.Requests).ThenBy(a => a.Name, StringComparer.Ordinal).Take(5)
        .Select(a => new ChartColumn(a.Name, [new ChartSegment("agent", a.Requests, $"{a.Name}: {a.Requests} action requests", RunsUrl(agentId: a.AgentId))]))
        .ToList();

    /// <summary>Spend per agent (see <see cref="OverviewQueries.SpendField"/>), largest first; a bar opens the agent's runs.</summary>
    public IReadOnlyList<ChartColumn> Spend() => figures.Agents.Where(a => a.Spend > 0).OrderByDescending(a => a.Spend).Take(10)
        .Select(a =>
        {
            var amount = Money(a.Spend);
            return new ChartColumn(a.Name, [new ChartSegment("spend", (long)Math.Round(a.Spend), $"{a.Name}: {amount}", RunsUrl(agentId: a.AgentId))], amount);
        })
        .ToList();

    /// <summary>Alerts per agent (workspace alerts of the MCP gateway have none); a bar opens that agent's alerts.</summary>
    public IReadOnlyList<ChartColumn> Alerts(Func<string, string> agentName) => figures.Alerts.GroupBy(a => a.First)
        .OrderByDescending(g => g.Sum(a => a.Count))
        .Select(g =>
        {
            var name = g.Key.Length == 0 ? "workspace (MCP gateway)" : agentName(g.Key);
            var href = g.Key.Length == 0 ? "/alerts" : QueryHelpers.AddQueryString("/alerts", "agentId", g.Key);
            return new ChartColumn(name, [new ChartSegment("alert", g.Sum(a => a.Count), $"{name}: {g.Sum(a => a.Count)} alerts", href)]);
        })
        .ToList();

    /// <summary>An amount in the currency's smallest unit, written in major units (cents to dollars: 12345 → 123.45).</summary>
    public static string Money(decimal minorUnits) => (minorUnits / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private string RunsUrl(DateTimeOffset? from = null, DateTimeOffset? to = null, string? agentId = null, string? decision = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["agentId"] = agentId,
            ["from"] = (from ?? DateTimeOffset.FromUnixTimeMilliseconds(figures.Since)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["to"] = to?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["decision"] = decision,
        };
        return QueryHelpers.AddQueryString("/runs", query.Where(q => q.Value is not null)!);
    }
}
