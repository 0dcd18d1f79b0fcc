using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// <c>GET /api/alerts</c>, newest first: actions allowed with an alert (<c>kind: "action"</c>, with their run, agent and action
/// request) and workspace alerts of the MCP gateway (<c>mcp_tool_changed</c>, <c>mcp_tool_added</c>: no run, agent or action request).
/// </summary>
public static class AlertsApi
{
    public sealed record AlertDto(string Id, string? RunId, string? AgentId, string? ActionRequestId, string ActionType, string Reason,
        JsonElement Policies, string CreatedAt, string Kind);

    public sealed record AlertPage(IReadOnlyList<AlertDto> Items, string? NextBefore);

    public static RouteGroupBuilder MapAlerts(this RouteGroupBuilder group)
    {
        group.MapGet("/alerts", List).RequireAuthorization(RolePolicies.Viewer);
        return group;
    }

    public static async Task<Results<Ok<AlertPage>, ProblemHttpResult>> List(HttpContext http, Database database, string? agentId, string? runId, string? limit, string? before)
    {
        var member = http.User.GetMember();
        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            return Problems.Validation("limit", "must be between 1 and 200");
        }

        var sql = new StringBuilder(
            "SELECT id AS Id, run_id AS RunId, agent_id AS AgentId, action_request_id AS ActionRequestId, action_type AS ActionType, reason AS Reason, " +
            "policies AS Policies, created_at AS CreatedAt, kind AS Kind FROM alerts WHERE workspace_id = @ws");
        if (agentId is not null) { sql.Append(" AND agent_id = @agentId"); }
        if (runId is not null) { sql.Append(" AND run_id = @runId"); }
        if (before is not null) { sql.Append(" AND id < @before"); }
        sql.Append(" ORDER BY id DESC LIMIT @take");

        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = (await connection.QueryAsync<Row>(sql.ToString(), new { ws = member.WorkspaceId, agentId, runId, before, take = take + 1 })).ToList();
        var items = rows.Take(take).Select(r => new AlertDto(r.Id, r.RunId, r.AgentId, r.ActionRequestId, r.ActionType, r.Reason,
            JsonDocument.Parse(r.Policies).RootElement.Clone(), Times.ToIso(r.CreatedAt), r.Kind)).ToList();
        return TypedResults.Ok(new AlertPage(items, rows.Count > take ? items[^1].Id : null));
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string? RunId { get; init; }
        public string? AgentId { get; init; }
        public string? ActionRequestId { get; init; }
        public string ActionType { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Policies { get; init; } = "[]";
        public long CreatedAt { get; init; }
        public string Kind { get; init; } = "action";
    }
}
