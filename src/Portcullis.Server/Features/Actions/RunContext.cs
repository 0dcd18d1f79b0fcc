using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>The run an action belongs to, as far as policies can see it.</summary>
public sealed class RunContext
{
    public string Status { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public string? ExternalRef { get; init; }
    public string? AgentVersion { get; init; }

    public static Task<RunContext?> FindAsync(Database database, string runId, string agentId, CancellationToken ct) =>
        database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null,
            "SELECT status AS Status, trigger_type AS TriggerType, external_ref AS ExternalRef, agent_version AS AgentVersion FROM runs WHERE id = @runId AND agent_id = @agentId",
            r => r.GetRowParser<RunContext>()(r), ("runId", runId), ("agentId", agentId)), ct);
}
