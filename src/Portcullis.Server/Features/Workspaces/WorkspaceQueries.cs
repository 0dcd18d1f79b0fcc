using Dapper;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Reads of the actor's workspace and its members, shared by <c>GET /api/workspace…</c> and the dashboard's pages.</summary>
public sealed class WorkspaceQueries(Database database, WorkspaceStore store, TimeProvider time)
{
    /// <summary>The workspace as the member sees it (their role, its settings now), or null when it is gone.</summary>
    public async Task<WorkspaceDto?> GetAsync(Member member, CancellationToken ct)
    {
        var ws = await store.FindAsync(member.WorkspaceId, ct);
        return ws is null ? null : new WorkspaceDto(ws.Id, ws.Name, Times.ToIso(ws.CreatedAt), member.Role.ToWire(), ws.ToSettings(time.Now()),
            FreezeDto.Of(ws.FrozenAt, ws.FrozenReason, ws.FrozenBy));
    }

    /// <summary>The members, oldest membership first.</summary>
    public async Task<IReadOnlyList<MemberDto>> ListMembersAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string UserId, string Email, string Name, string Role, long CreatedAt)>(
            "SELECT u.id, u.email, u.name, m.role, m.created_at FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @workspaceId ORDER BY m.created_at",
            new { workspaceId });
        return rows.Select(r => new MemberDto(r.UserId, r.Email, r.Name, r.Role, Times.ToIso(r.CreatedAt))).ToList();
    }

    /// <summary>Every workspace the member's user belongs to, oldest membership first, the current one marked.</summary>
    public async Task<IReadOnlyList<WorkspaceSummaryDto>> ListMineAsync(Member member, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Name, string Role, long CreatedAt)>(
            "SELECT w.id, w.name, m.role, w.created_at FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = @userId ORDER BY m.created_at, w.id",
            new { userId = member.UserId });
        return rows.Select(r => new WorkspaceSummaryDto(r.Id, r.Name, r.Role, Times.ToIso(r.CreatedAt), r.Id == member.WorkspaceId)).ToList();
    }
}
