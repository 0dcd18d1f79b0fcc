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

    /// <summary>The member's workspaces, for the header's switcher.</summary>
    public IReadOnlyList<WorkspaceSummaryDto> Workspaces { get; private set; } = [];

    public bool Can(Role role) => Member is not null && Member.Role >= role;

    public async Task LoadAsync(Member member, CancellationToken ct)
    {
        Member = member;
        await using var connection = await database.OpenAsync(ct);
        WorkspaceName = (await WorkspaceStore.FindAsync(connection, member.WorkspaceId))?.Name ?? "";
        PendingApprovals = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM approvals WHERE workspace_id = @ws AND status = 'pending' AND expires_at > @now",
            new { ws = member.WorkspaceId, now = time.Now() });
        var mine = await connection.QueryAsync<(string Id, string Name, string Role)>(
            "SELECT w.id, w.name, m.role FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = @userId ORDER BY m.created_at, w.id",
            new { userId = member.UserId });
        Workspaces = mine.Select(w => new WorkspaceSummaryDto(w.Id, w.Name, w.Role, "", w.Id == member.WorkspaceId)).ToList();
    }
}
