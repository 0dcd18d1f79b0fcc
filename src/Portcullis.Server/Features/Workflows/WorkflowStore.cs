using System.Data.Common;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows;

/// <summary>Workflow definitions: every query scoped to the workspace; a deleted workflow is never found.</summary>
public sealed class WorkflowStore(Database database)
{
    public Task<WorkflowRow?> FindAsync(string workspaceId, string id, CancellationToken ct) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<WorkflowRow>(
            $"SELECT {WorkflowRow.Columns} FROM {WorkflowRow.From} AND w.id = @id AND w.workspace_id = @workspaceId", new { id, workspaceId }), ct);

    public async Task<IReadOnlyList<WorkflowRow>> ListByAgentAsync(string workspaceId, string agentId, CancellationToken ct) =>
        (await database.ReadAsync(c => c.QueryAsync<WorkflowRow>(
            $"SELECT {WorkflowRow.Columns} FROM {WorkflowRow.From} AND w.workspace_id = @workspaceId AND w.agent_id = @agentId ORDER BY w.created_at, w.id",
            new { workspaceId, agentId }), ct)).AsList();

    public async Task<IReadOnlyList<WorkflowVersionDto>> VersionsAsync(string workflowId, CancellationToken ct) =>
        (await database.ReadAsync(c => c.QueryAsync<(long Version, long CreatedAt, string? CreatedBy, string Definition)>(
            "SELECT version, created_at, created_by, definition FROM workflow_versions WHERE workflow_id = @workflowId ORDER BY version DESC",
            new { workflowId }), ct))
        .Select(v => new WorkflowVersionDto((int)v.Version, Infrastructure.Times.ToIso(v.CreatedAt), v.CreatedBy, WorkflowDefinition.Deserialize(v.Definition)))
        .ToList();

    public async Task<bool> AgentExistsAsync(string workspaceId, string agentId, CancellationToken ct) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM agents WHERE id = @agentId AND workspace_id = @workspaceId", new { agentId, workspaceId }), ct) > 0;

    public async Task<IReadOnlyList<LinkedCredential>> LinkedCredentialsAsync(string workspaceId, string agentId, CancellationToken ct) =>
        (await database.ReadAsync(c => c.QueryAsync<LinkedCredential>(
            """
            SELECT k.id AS Id, k.provider AS Provider FROM credential_links l JOIN credentials k ON k.id = l.credential_id
            WHERE l.agent_id = @agentId AND k.workspace_id = @workspaceId AND k.deleted_at IS NULL
            """, new { agentId, workspaceId }), ct)).AsList();

    /// <summary>Inserts version 1; returns it.</summary>
    public async Task<long> InsertAsync(DbConnection c, DbTransaction t, string workspaceId, string agentId, string id, WorkflowDefinition d, long now)
    {
        await c.ExecuteAsync(
            """
            INSERT INTO workflows (id, workspace_id, agent_id, name, description, version, trigger_type, webhook_token_hash, created_at, updated_at, deleted_at)
            VALUES (@id, @workspaceId, @agentId, @Name, @Description, 1, @type, NULL, @now, @now, NULL)
            """, new { id, workspaceId, agentId, d.Name, d.Description, type = d.Trigger.Type, now }, t);
        return 1;
    }

    /// <summary>Moves the workflow to its next version; returns it. Runs already started keep theirs.</summary>
    public Task<long> AddVersionAsync(DbConnection c, DbTransaction t, string id, WorkflowDefinition d, long now) =>
        c.ExecuteScalarAsync<long>(
            """
            UPDATE workflows SET version = version + 1, name = @Name, description = @Description, trigger_type = @type, updated_at = @now
            WHERE id = @id RETURNING version
            """, new { id, d.Name, d.Description, type = d.Trigger.Type, now }, t);

    public Task WriteVersionAsync(DbConnection c, DbTransaction t, string id, long version, WorkflowDefinition d, string? createdBy, long now) =>
        c.ExecuteAsync(
            "INSERT INTO workflow_versions (workflow_id, version, definition, created_by, created_at) VALUES (@id, @version, @definition, @createdBy, @now)",
            new { id, version, definition = d.Serialize(), createdBy, now }, t);

    /// <summary>Sets (or, with <paramref name="keep"/>, leaves) the webhook token's hash; a workflow without a webhook trigger has none.</summary>
    public Task SetWebhookAsync(DbConnection c, DbTransaction t, string id, string triggerType, string? tokenHash, bool keep) =>
        keep ? Task.CompletedTask : c.ExecuteAsync("UPDATE workflows SET webhook_token_hash = @hash WHERE id = @id",
            new { id, hash = triggerType == TriggerTypes.Webhook ? tokenHash : null }, t);

    /// <summary>Sets (or, with <paramref name="keep"/>, leaves) the sealed signing secret of a signed webhook.</summary>
    public Task SetSigningSecretAsync(DbConnection c, DbTransaction t, string id, string? sealedSecret, bool keep) =>
        keep ? Task.CompletedTask : c.ExecuteAsync("UPDATE workflows SET webhook_secret = @sealedSecret WHERE id = @id", new { id, sealedSecret }, t);

    public sealed record Webhook(string WorkspaceId, string? TokenHash, string? SealedSecret);

    public Task<Webhook?> WebhookAsync(string id, CancellationToken ct) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<Webhook>(
            """
            SELECT workspace_id AS WorkspaceId, webhook_token_hash AS TokenHash, webhook_secret AS SealedSecret
            FROM workflows WHERE id = @id AND deleted_at IS NULL AND trigger_type = 'webhook'
            """, new { id }), ct);

    /// <summary>The definition a run started with.</summary>
    public Task<string?> DefinitionAsync(DbConnection c, DbTransaction? t, string workflowId, long version) =>
        c.ExecuteScalarAsync<string?>("SELECT definition FROM workflow_versions WHERE workflow_id = @workflowId AND version = @version",
            new { workflowId, version }, t);
}
