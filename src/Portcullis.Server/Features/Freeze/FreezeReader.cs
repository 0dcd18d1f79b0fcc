using System.Data.Common;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Freeze;

/// <summary>Stable <c>code</c>s of the kill switch.</summary>
public static class FreezeErrorCodes
{
    /// <summary>409 on approving a held action of a frozen agent; the error code of a workflow run the freeze stopped.</summary>
    public const string AgentFrozen = "agent_frozen";
}

/// <summary>The freeze as it stands in the database now: read where a decision must not rest on an earlier read (no cache).</summary>
public static class FreezeReader
{
    private const string Sql = """
        SELECT COALESCE(a.frozen_reason, w.frozen_reason) FROM agents a JOIN workspaces w ON w.id = a.workspace_id WHERE a.id = @agentId
        """;

    /// <summary>Why the agent may not act (its own freeze, else its workspace's), or null.</summary>
    public static Task<string?> ReasonAsync(DbConnection connection, DbTransaction? transaction, string agentId) =>
        connection.ExecuteScalarAsync<string?>(Sql, new { agentId }, transaction);

    public static Task<string?> ReasonAsync(Database database, string agentId, CancellationToken ct) =>
        database.ReadAsync(c => ReasonAsync(c, null, agentId), ct);
}
