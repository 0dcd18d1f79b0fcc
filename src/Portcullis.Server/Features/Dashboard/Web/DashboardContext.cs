using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>What the layout shows on every page: who is signed in, their workspace and role, pending approvals.</summary>
public sealed class DashboardContext(Database database, TimeProvider time)
{
    public Member? Member { get; private set; }

    public string WorkspaceName { get; private set; } = "";

    public long PendingApprovals { get; private set; }

    public bool Can(Role role) => Member is not null && Member.Role >= role;

    public async Task LoadAsync(Member member, CancellationToken ct)
    {
        Member = member;
        await using var connection = await database.OpenAsync(ct);
        WorkspaceName = (await WorkspaceStore.FindAsync(connection, member.WorkspaceId))?.Name ?? "";
        PendingApprovals = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM approvals WHERE workspace_id = @ws AND status = 'pending' AND expires_at > @now",
            new { ws = member.WorkspaceId, now = time.Now() });
    }
}
