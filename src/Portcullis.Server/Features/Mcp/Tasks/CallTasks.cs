using Dapper;
using ModelContextProtocol;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// 2025-11-25 only: the task of a call the client asked to run as a task (<c>params.task</c>) that the engine answered at
/// once (allowed, blocked). That protocol lets the client, not the server, decide, so such a call still answers a task:
/// its id is the action request's id and its result the answer the request stored (<c>action_requests.response</c>), read
/// from the store like an approval task. A call waiting for an approval is the approval's task instead.
/// </summary>
public sealed class CallTasks(Database database)
{
    private const string Sql =
        """
        SELECT id AS Id, run_id AS RunId, decision AS Decision, reason AS Reason, matched_policies AS MatchedPolicies, status AS Status,
               response AS Response, created_at AS CreatedAt
        FROM action_requests WHERE id = @id AND agent_id = @agentId AND workspace_id = @workspaceId
        """;

    /// <summary>The task, or null when the agent has no such answered request (one waiting for an approval included).</summary>
    public async Task<McpTaskResult?> FindAsync(AgentIdentity agent, string taskId, McpLinks links, CancellationToken ct)
    {
        if (!Ids.HasPrefix(taskId, "act"))
        {
            return null;
        }

        var row = await database.ReadAsync(
            c => c.QueryFirstOrDefaultAsync<Row>(Sql, new { id = taskId, agentId = agent.AgentId, workspaceId = agent.WorkspaceId }), ct);
        if (row is null || row.Decision == "require_approval")
        {
            return null;
        }

        // An execution in flight (a replay while the first request still runs) is working until its answer is stored.
        var working = row.Status == ActionStatus.Executing;
        var answer = row.Response ?? DecisionAnswers.Rebuild(row.Id, row.Decision, row.Reason, row.MatchedPolicies);
        return new McpTaskResult
        {
            TaskId = row.Id,
            Status = working ? McpTaskStatus.Working : McpTaskStatus.Completed,
            StatusMessage = working ? "the action is executing" : $"decided `{row.Decision}`",
            CreatedAt = Times.ToIso(row.CreatedAt),
            LastUpdatedAt = Times.ToIso(row.CreatedAt),
            Outcome = working ? null
                : System.Text.Json.JsonSerializer.SerializeToNode(
                    McpResults.From(new RequestActionResult.Decided(row.Id, answer), row.RunId, links), McpJsonUtilities.DefaultOptions),
        };
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string RunId { get; init; } = "";
        public string Decision { get; init; } = "";
        public string Reason { get; init; } = "";
        public string MatchedPolicies { get; init; } = "[]";
        public string Status { get; init; } = "";
        public string? Response { get; init; }
        public long CreatedAt { get; init; }
    }
}
