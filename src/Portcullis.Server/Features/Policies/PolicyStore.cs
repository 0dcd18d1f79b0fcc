using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>Policy rows and their version history. Every change bumps the workspace's policy revision.</summary>
public sealed class PolicyStore(Database database)
{
    public async Task<IReadOnlyList<PolicyRow>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PolicyRow>(
            $"SELECT {PolicyRow.Columns} FROM policies WHERE workspace_id = @workspaceId AND deleted_at IS NULL ORDER BY priority DESC, name, id",
            new { workspaceId })).ToList();
    }

    /// <summary>
    /// The live policies and the revision they make up. Every change bumps the revision in its own transaction, so rows read
    /// between two equal reads of the revision are exactly that revision's; a change landing in between reads again.
    /// </summary>
    public async Task<(IReadOnlyList<PolicyRow> Rows, long Revision)> SnapshotAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        const string RevisionSql = "SELECT policy_revision FROM workspaces WHERE id = @workspaceId";
        while (true)
        {
            var before = await connection.ExecuteScalarAsync<long>(RevisionSql, new { workspaceId });
            var rows = (await connection.QueryAsync<PolicyRow>(
                $"SELECT {PolicyRow.Columns} FROM policies WHERE workspace_id = @workspaceId AND deleted_at IS NULL ORDER BY priority DESC, name, id",
                new { workspaceId })).ToList();
            if (await connection.ExecuteScalarAsync<long>(RevisionSql, new { workspaceId }) == before)
            {
                return (rows, before);
            }
        }
    }

    /// <summary>A live policy of the workspace with its versions, newest first; null when there is none of that id.</summary>
    public async Task<PolicyWithHistoryDto?> GetWithHistoryAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await FindAsync(connection, workspaceId, id);
        return row is null ? null : new PolicyWithHistoryDto(row.ToDto(), await VersionsAsync(connection, id));
    }

    public static Task<PolicyRow?> FindAsync(DbConnection connection, string workspaceId, string id, DbTransaction? transaction = null) =>
        connection.QueryFirstOrDefaultAsync<PolicyRow>(
            $"SELECT {PolicyRow.Columns} FROM policies WHERE id = @id AND workspace_id = @workspaceId AND deleted_at IS NULL",
            new { id, workspaceId }, transaction);

    public static async Task<IReadOnlyList<PolicyVersionDto>> VersionsAsync(DbConnection connection, string id) =>
        (await connection.QueryAsync<PolicyVersionRow>(
            $"SELECT {PolicyVersionRow.Columns} FROM policy_versions WHERE policy_id = @id ORDER BY version DESC", new { id }))
        .Select(v => v.ToDto()).ToList();

    /// <summary>Writes the current row (insert or update) and appends the version; bumps the revision unless told not to.</summary>
    /// <param name="bumpRevision">False when the caller saves several policies as one revision (an import) and bumps once.</param>
    public static async Task SaveAsync(DbConnection c, DbTransaction t, string workspaceId, PolicyRow row, string change, string changedBy, bool insert,
        bool bumpRevision = true)
    {
        var args = new
        {
            row.Id, workspaceId, row.Version, row.Name, row.Description, row.Condition, row.Decision, row.Reason, row.Priority,
            row.Enabled, row.AgentIds, row.ApprovalsRequired, row.AllowEdit, row.ApproverGroup, row.EscalateAfterSeconds, row.EscalateTo, row.SlackChannel, row.Mode, row.CreatedAt, row.UpdatedAt, change, changedBy,
        };
        await c.ExecuteAsync(insert
            ? """
              INSERT INTO policies (id, workspace_id, version, name, description, condition, decision, reason, priority, enabled, agent_ids, approvals_required, allow_edit,
                  approver_group, escalate_after_seconds, escalate_to, slack_channel, mode, created_at, updated_at)
              VALUES (@Id, @workspaceId, @Version, @Name, @Description, @Condition, @Decision, @Reason, @Priority, @Enabled, @AgentIds, @ApprovalsRequired, @AllowEdit,
                  @ApproverGroup, @EscalateAfterSeconds, @EscalateTo, @SlackChannel, @Mode, @CreatedAt, @UpdatedAt)
              """
            : """
              UPDATE policies SET version = @Version, name = @Name, description = @Description, condition = @Condition, decision = @Decision,
                     reason = @Reason, priority = @Priority, enabled = @Enabled, agent_ids = @AgentIds, approvals_required = @ApprovalsRequired, allow_edit = @AllowEdit,
                     approver_group = @ApproverGroup, escalate_after_seconds = @EscalateAfterSeconds, escalate_to = @EscalateTo, slack_channel = @SlackChannel, mode = @Mode,
                     updated_at = @UpdatedAt
              WHERE id = @Id AND workspace_id = @workspaceId
              """, args, t);
        await c.ExecuteAsync(
            """
            INSERT INTO policy_versions (policy_id, version, workspace_id, name, description, condition, decision, reason, priority, enabled, agent_ids, approvals_required, allow_edit,
                approver_group, escalate_after_seconds, escalate_to, slack_channel, mode, change, changed_by, changed_at)
            VALUES (@Id, @Version, @workspaceId, @Name, @Description, @Condition, @Decision, @Reason, @Priority, @Enabled, @AgentIds, @ApprovalsRequired, @AllowEdit,
                @ApproverGroup, @EscalateAfterSeconds, @EscalateTo, @SlackChannel, @Mode, @change, @changedBy, @UpdatedAt)
            """, args, t);
        if (bumpRevision)
        {
            await BumpRevisionAsync(c, t, workspaceId);
        }
    }

    /// <summary>
    /// Marks a policy deleted (soft: recorded requests keep naming the policy that decided them); false when there is
    /// no such live policy.
    /// </summary>
    public static async Task<bool> SoftDeleteAsync(DbConnection c, DbTransaction t, string workspaceId, string id, long now) =>
        await c.ExecuteAsync("UPDATE policies SET deleted_at = @now WHERE id = @id AND workspace_id = @workspaceId AND deleted_at IS NULL",
            new { now, id, workspaceId }, t) > 0;

    public static Task BumpRevisionAsync(DbConnection c, DbTransaction t, string workspaceId) =>
        c.ExecuteAsync("UPDATE workspaces SET policy_revision = policy_revision + 1 WHERE id = @workspaceId", new { workspaceId }, t);

    /// <summary>Agent ids in <paramref name="ids"/> that are not agents of the workspace.</summary>
    public static async Task<IReadOnlyList<string>> UnknownAgentsAsync(DbConnection c, DbTransaction? t, string workspaceId, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var known = (await c.QueryAsync<string>("SELECT id FROM agents WHERE workspace_id = @workspaceId", new { workspaceId }, t)).ToHashSet(StringComparer.Ordinal);
        return ids.Where(id => !known.Contains(id)).ToList();
    }

    public static string AgentIdsJson(IReadOnlyList<string>? ids) => JsonSerializer.Serialize(ids ?? []);
}
