using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Groups;

public sealed record ApproverGroupMemberDto(string UserId, string Name, string Email);

public sealed record ApproverGroupDto(string Id, string Name, IReadOnlyList<ApproverGroupMemberDto> Members, string CreatedAt);

/// <summary>Approver groups of a workspace: named sets of its members, referenced by name from policies and approvals.</summary>
public sealed class ApproverGroupStore(Database database, AuditTrail audit, TimeProvider time)
{
    public enum Change { Done, NotFound, NameTaken, NotMembers }

    /// <summary>True when the user is in the workspace's group of that name (inside the caller's transaction).</summary>
    public static async Task<bool> IsMemberAsync(DbConnection c, DbTransaction? t, string workspaceId, string group, string userId) =>
        await c.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM approver_group_members m JOIN approver_groups g ON g.id = m.group_id
            WHERE g.workspace_id = @workspaceId AND g.name = @group AND m.user_id = @userId
            """, new { workspaceId, group, userId }, t) > 0;

    public async Task<IReadOnlyList<ApproverGroupDto>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var groups = (await c.QueryAsync<(string Id, string Name, long CreatedAt)>(
            "SELECT id, name, created_at FROM approver_groups WHERE workspace_id = @workspaceId ORDER BY name", new { workspaceId })).ToList();
        var members = (await c.QueryAsync<(string GroupId, string UserId, string Name, string Email)>(
            """
            SELECT m.group_id, u.id, u.name, u.email FROM approver_group_members m
            JOIN approver_groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id
            WHERE g.workspace_id = @workspaceId ORDER BY u.email
            """, new { workspaceId })).ToLookup(m => m.GroupId);
        return groups.Select(g => new ApproverGroupDto(g.Id, g.Name,
            members[g.Id].Select(m => new ApproverGroupMemberDto(m.UserId, m.Name, m.Email)).ToList(), Times.ToIso(g.CreatedAt))).ToList();
    }

    public Task<(Change Change, string? Id)> CreateAsync(string workspaceId, string actorId, string name, IReadOnlyList<string> userIds, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            // Names differing only in case would route approvals to a group the reader did not mean: one of them is refused.
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM approver_groups WHERE workspace_id = @workspaceId AND LOWER(name) = LOWER(@name)",
                    new { workspaceId, name }, t) > 0)
            {
                return (Change.NameTaken, (string?)null);
            }

            var id = Ids.New("apg", time);
            await c.ExecuteAsync("INSERT INTO approver_groups (id, workspace_id, name, created_at) VALUES (@id, @workspaceId, @name, @now)",
                new { id, workspaceId, name, now = time.Now() }, t);
            var change = await SetMembersAsync(c, t, workspaceId, id, userIds, time.Now());
            await audit.AppendAsync(c, t, workspaceId, Actor.User(actorId), "approver_group.created", "approver_group", id, new { name, userIds });
            return (change, change == Change.Done ? id : null);
        }, r => r.Item1 == Change.Done, ct);

    public Task<Change> ReplaceMembersAsync(string workspaceId, string actorId, string id, IReadOnlyList<string> userIds, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM approver_groups WHERE id = @id AND workspace_id = @workspaceId",
                    new { id, workspaceId }, t) == 0)
            {
                return Change.NotFound;
            }

            await c.ExecuteAsync("DELETE FROM approver_group_members WHERE group_id = @id", new { id }, t);
            var change = await SetMembersAsync(c, t, workspaceId, id, userIds, time.Now());
            await audit.AppendAsync(c, t, workspaceId, Actor.User(actorId), "approver_group.members_changed", "approver_group", id, new { userIds });
            return change;
        }, r => r == Change.Done, ct);

    public Task<Change> DeleteAsync(string workspaceId, string actorId, string id, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var name = await c.ExecuteScalarAsync<string?>("SELECT name FROM approver_groups WHERE id = @id AND workspace_id = @workspaceId",
                new { id, workspaceId }, t);
            if (name is null)
            {
                return Change.NotFound;
            }

            // Approvals routed to it keep its name and can then be decided by nobody until it exists again: fail closed.
            await c.ExecuteAsync("DELETE FROM approver_group_members WHERE group_id = @id", new { id }, t);
            await c.ExecuteAsync("DELETE FROM approver_groups WHERE id = @id", new { id }, t);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(actorId), "approver_group.deleted", "approver_group", id, new { name });
            return Change.Done;
        }, r => r == Change.Done, ct);

    /// <summary>Adds the users; each must be a member of the workspace (else nothing is kept: the caller's transaction rolls back).</summary>
    private static async Task<Change> SetMembersAsync(DbConnection c, DbTransaction t, string workspaceId, string id, IReadOnlyList<string> userIds,
        long now)
    {
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE workspace_id = @workspaceId AND user_id = @userId",
                    new { workspaceId, userId }, t) == 0)
            {
                return Change.NotMembers;
            }

            await c.ExecuteAsync("INSERT INTO approver_group_members (group_id, user_id, added_at) VALUES (@id, @userId, @now)",
                new { id, userId, now }, t);
        }

        return Change.Done;
    }
}
