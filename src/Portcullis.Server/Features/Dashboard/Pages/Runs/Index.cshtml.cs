using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.RunList;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Dashboard.Pages.Runs;

/// <summary>The runs list: the API's filtered, paged query (<c>GET /api/runs</c>) rendered as a table.</summary>
public sealed class IndexModel(AgentQueries agents, RunQueries runs, RunSummaries summaries, TimeProvider time) : DashboardPage
{
    public const string PageSize = "25";

    public RunsQueryApi.RunPage? Runs { get; private set; }

    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public string? Status { get; private set; }
    public string? AgentId { get; private set; }
    public string? TriggerType { get; private set; }
    public string? ExternalRef { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public string? Cursor { get; private set; }
    public string? Decision { get; private set; }

    public IReadOnlyDictionary<string, RunSummary> Summaries { get; private set; } = new Dictionary<string, RunSummary>();

    public long Now { get; private set; }

    public string AgentName(string id) => Agents.FirstOrDefault(a => a.Id == id)?.Name ?? id;

    public async Task OnGetAsync(string? status, string? agentId, string? triggerType, string? externalRef, string? from, string? to, string? cursor,
        string? decision)
    {
        (Status, AgentId, TriggerType, ExternalRef, From, To, Cursor, Decision) =
            (Blank(status), Blank(agentId), Blank(triggerType), Blank(externalRef), Blank(from), Blank(to), Blank(cursor), Blank(decision));
        Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
        var query = new RunListQuery(Status, AgentId, TriggerType, ExternalRef, From, To, PageSize, Cursor, Decision);
        switch (await runs.ListAsync(Member.WorkspaceId, query, Aborted))
        {
            case RunListResult.Found found:
                Runs = found.Page;
                Summaries = await summaries.ReadAsync(Member.WorkspaceId, found.Page.Items.Select(r => r.RunId).ToList(), Aborted);
                Now = time.Now();
                break;
            case RunListResult.Invalid invalid:
                Fail(FormProblem.Invalid(invalid.Errors));
                break;
        }
    }

    /// <summary>This page's URL with the current filters and another cursor.</summary>
    public string PageUrl(string? cursor)
    {
        var query = new Dictionary<string, string?>
        {
            ["status"] = Status,
            ["agentId"] = AgentId,
            ["triggerType"] = TriggerType,
            ["externalRef"] = ExternalRef,
            ["from"] = From,
            ["to"] = To,
            ["cursor"] = cursor,
            ["decision"] = Decision,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/runs", query.Where(q => q.Value is not null)!);
    }

    /// <summary>How long the run took, or has been running: "2.4 s", "3 min 5 s", "1 h 12 min".</summary>
    public string Duration(RunDto run)
    {
        var started = DateTimeOffset.Parse(run.StartedAt, System.Globalization.CultureInfo.InvariantCulture);
        var ended = run.EndedAt is null ? DateTimeOffset.FromUnixTimeMilliseconds(Now) : DateTimeOffset.Parse(run.EndedAt, System.Globalization.CultureInfo.InvariantCulture);
        var d = ended - started;
        var text = d.TotalSeconds < 60 ? $"{Math.Max(0, d.TotalSeconds):0.#} s"
            : d.TotalMinutes < 60 ? $"{(int)d.TotalMinutes} min {d.Seconds} s"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours} h {d.Minutes} min" : $"{(int)d.TotalDays} d {d.Hours} h";
        return run.EndedAt is null ? $"{text} so far" : text;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
