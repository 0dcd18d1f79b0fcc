using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Search;

namespace Portcullis.Server.Features.Dashboard.Pages.Search;

/// <summary>The header's search: one match opens its page, several are listed, none says so.</summary>
public sealed class IndexModel(DashboardSearch search) : DashboardPage
{
    public string Query { get; private set; } = "";

    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? q)
    {
        Query = q?.Trim() ?? "";
        Hits = await search.FindAsync(Member.WorkspaceId, Query, Aborted);
        return Hits.Count == 1 ? LocalRedirect(Hits[0].Href) : Page();
    }
}
