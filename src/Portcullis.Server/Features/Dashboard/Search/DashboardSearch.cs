using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Search;

/// <summary>One thing the header's search found: what it is, how to name it, and its page.</summary>
public sealed record SearchHit(string Kind, string Title, string Detail, string Href);

/// <summary>
/// The header's search box: a run id, an external ref, an approval id or (part of) an agent's name, in the member's workspace.
/// Ids go through primary keys, external refs through <c>ix_runs_workspace_external_ref</c>; agents are few per workspace.
/// </summary>
public sealed class DashboardSearch(Database database)
{
    private const int Limit = 20;

    public async Task<IReadOnlyList<SearchHit>> FindAsync(string workspaceId, string text, CancellationToken ct)
    {
        var q = text.Trim();
        if (q.Length == 0)
        {
            return [];
        }

        // LIKE's wildcards in the text are meant literally.
        var pattern = "%" + q.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var args = new { ws = workspaceId, q, pattern, limit = Limit };
        await using var connection = await database.OpenAsync(ct);
        var hits = new List<SearchHit>();
        var runs = await connection.QueryAsync<(string Id, string Status, string? ExternalRef)>(
            "SELECT id, status, external_ref FROM runs WHERE workspace_id = @ws AND (id = @q OR external_ref = @q) " +
            "ORDER BY started_at DESC, id DESC LIMIT @limit", args);
        hits.AddRange(runs.Select(r => new SearchHit("run", r.Id, r.ExternalRef is null ? r.Status : $"{r.Status} · external ref {r.ExternalRef}", $"/runs/{Uri.EscapeDataString(r.Id)}")));
        var approvals = await connection.QueryAsync<(string Id, string Status)>(
            "SELECT id, status FROM approvals WHERE workspace_id = @ws AND id = @q", args);
        hits.AddRange(approvals.Select(a => new SearchHit("approval", a.Id, a.Status, $"/approvals/{Uri.EscapeDataString(a.Id)}")));
        var agents = await connection.QueryAsync<(string Id, string Name)>(
            "SELECT id, name FROM agents WHERE workspace_id = @ws AND (id = @q OR LOWER(name) LIKE @pattern ESCAPE '\\') " +
            "ORDER BY name LIMIT @limit", args);
        hits.AddRange(agents.Select(a => new SearchHit("agent", a.Name, a.Id, $"/agents/{Uri.EscapeDataString(a.Id)}")));
        return hits;
    }
}
