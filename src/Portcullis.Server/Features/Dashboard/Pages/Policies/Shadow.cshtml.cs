using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Policies.Shadow;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>A shadow policy's record: the recorded requests it would have decided differently, with links to their runs.</summary>
public sealed class ShadowModel(Database database, ShadowQueries shadow) : DashboardPage
{
    public PolicyRow Policy { get; private set; } = null!;

    public ShadowReportDto Report { get; private set; } = null!;

    public string Period { get; private set; } = "7d";

    public async Task<IActionResult> OnGetAsync(string id, string? period)
    {
        if (await database.ReadAsync(c => PolicyStore.FindAsync(c, Member.WorkspaceId, id), Aborted) is not { } policy)
        {
            return Missing($"Policy {id}");
        }

        (Policy, Period) = (policy, period is "24h" or "30d" ? period : "7d");
        Report = await shadow.ReportAsync(Member.WorkspaceId, id, ShadowQueries.Period(Period), Aborted);
        return Page();
    }
}
