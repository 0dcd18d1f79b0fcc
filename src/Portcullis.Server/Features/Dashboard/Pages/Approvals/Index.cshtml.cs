using Portcullis.Server.Features.Dashboard.Approvals;
using Portcullis.Server.Features.Dashboard.Live;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Approvals;

/// <summary>The approval queue (pending, oldest first, kept current by a live stream) and recent outcomes.</summary>
public sealed class IndexModel(Database database, TimeProvider time) : DashboardPage
{
    public IReadOnlyList<ApprovalView> Pending { get; private set; } = [];

    public IReadOnlyList<ApprovalView> Recent { get; private set; } = [];

    public long Now { get; private set; }

    public string Fingerprint => ApprovalStream.Fingerprint(Pending);

    public async Task OnGetAsync()
    {
        Now = time.Now();
        Pending = await ApprovalView.PendingAsync(database, Member.WorkspaceId, Now, Aborted);
        Recent = await ApprovalView.RecentAsync(database, Member.WorkspaceId, Now, Aborted);
    }
}
