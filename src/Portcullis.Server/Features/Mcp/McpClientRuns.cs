using System.Collections.Concurrent;
using Dapper;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The run an MCP client's calls go into when a call names none: one open run per agent and client key (see
/// <see cref="McpClientKey"/>), with trigger type <c>mcp</c>. It stays open; when it has ended (closed through REST or
/// the dashboard), the next call opens a new one in its place. The run is remembered per agent and client key, so a
/// client's calls cost no lookup: the engine checks the run on every call anyway, and a call it refuses because the run
/// has ended (or is gone) makes the caller <see cref="Forget"/> it and look again.
/// </summary>
public sealed class McpClientRuns(Database database, Subscriptions.EventOutbox events, TimeProvider time)
{
    public const string TriggerType = "mcp";

    private const string OpenRunSql =
        """
        SELECT m.run_id FROM mcp_client_runs m JOIN runs r ON r.id = m.run_id
        WHERE m.agent_id = @agentId AND m.client_key = @clientKey AND r.status IN ('running', 'awaiting_approval')
        """;

    // Session keys (2025-11-25 clients) come and go: past this many the memory starts again rather than grow.
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<(string AgentId, string ClientKey), string> _remembered = new();

    public async Task<string> RunForAsync(AgentIdentity agent, McpClientKey client, CancellationToken ct)
    {
        var key = (agent.AgentId, client.Key);
        if (_remembered.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        var runId = await LookUpOrOpenAsync(agent, client, ct);
        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }

        _remembered[key] = runId;
        return runId;
    }

    /// <summary>The engine refused a call in <paramref name="runId"/> (ended or gone): the next lookup reads the database.</summary>
    public void Forget(AgentIdentity agent, McpClientKey client, string runId) =>
        _remembered.TryRemove(KeyValuePair.Create((agent.AgentId, client.Key), runId));

    private async Task<string> LookUpOrOpenAsync(AgentIdentity agent, McpClientKey client, CancellationToken ct)
    {
        var args = new { agentId = agent.AgentId, clientKey = client.Key };
        if (await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<string>(OpenRunSql, args), ct) is { } open)
        {
            return open;
        }

        var runId = Ids.New("run", time);
        // The upsert only replaces a mapping whose run has ended: of two first calls racing, one run wins and the loser's
        // transaction (with its run) is rolled back.
        var won = await database.WriteAsync(async (c, t) =>
        {
            var now = time.Now();
            await new OpenedRun(runId, agent.WorkspaceId, agent.AgentId, TriggerType, client.Key, null, client.ClientName, now).InsertAsync(c, t, events);
            return await c.ExecuteAsync(
                """
                INSERT INTO mcp_client_runs (agent_id, client_key, workspace_id, run_id, updated_at)
                VALUES (@agentId, @clientKey, @workspaceId, @runId, @now)
                ON CONFLICT (agent_id, client_key) DO UPDATE SET run_id = excluded.run_id, updated_at = excluded.updated_at
                WHERE (SELECT status FROM runs WHERE id = mcp_client_runs.run_id) NOT IN ('running', 'awaiting_approval')
                """, new { args.agentId, args.clientKey, workspaceId = agent.WorkspaceId, runId, now }, t) > 0;
        }, inserted => inserted, ct);
        return won ? runId : await database.ReadAsync(c => c.QuerySingleAsync<string>(OpenRunSql, args), ct);
    }
}
