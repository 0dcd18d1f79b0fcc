using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>Reads of action requests for members; every read is scoped by workspace.</summary>
public sealed class ActionQueries(Database database)
{
    /// <summary>An action whose outcome is unknown, as an operator reconciling it needs to see it.</summary>
    public sealed record UnknownAction(string Id, string ActionType, string? Provider, string Payload, long CreatedAt);

    public async Task<IReadOnlyList<UnknownAction>> UnknownInRunAsync(string workspaceId, string runId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<UnknownAction>(
            """
            SELECT id AS Id, action_type AS ActionType, provider AS Provider, payload AS Payload, created_at AS CreatedAt
            FROM action_requests WHERE workspace_id = @workspaceId AND run_id = @runId AND status = 'unknown' ORDER BY created_at, id
            """, new { workspaceId, runId });
        return rows.AsList();
    }
}
