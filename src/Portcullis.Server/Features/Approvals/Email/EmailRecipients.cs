using System.Data.Common;
using Dapper;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>Who is emailed about an approval: those who may decide it.</summary>
public static class EmailRecipients
{
    /// <summary>
    /// The members of the approval's approver group, else every member with the approver role or above (the roles that
    /// may decide); in both cases still members of the workspace with such a role, ordered by address.
    /// </summary>
    public static async Task<IReadOnlyList<(string UserId, string Email)>> ForAsync(DbConnection c, DbTransaction? t, string workspaceId, string? group)
    {
        var rows = group is null
            ? await c.QueryAsync<(string, string)>(
                """
                SELECT u.id, u.email FROM members m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = @workspaceId AND m.role IN ('approver', 'admin', 'owner') ORDER BY u.email
                """, new { workspaceId }, t)
            : await c.QueryAsync<(string, string)>(
                """
                SELECT u.id, u.email FROM approver_group_members gm JOIN approver_groups g ON g.id = gm.group_id
                JOIN members m ON m.user_id = gm.user_id AND m.workspace_id = g.workspace_id JOIN users u ON u.id = gm.user_id
                WHERE g.workspace_id = @workspaceId AND g.name = @group AND m.role IN ('approver', 'admin', 'owner') ORDER BY u.email
                """, new { workspaceId, group }, t);
        return rows.AsList();
    }
}
