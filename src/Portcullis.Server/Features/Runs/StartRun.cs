using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary><c>POST /api/ingest/run-start</c>: opens a run and records <c>run.started</c> as sequence 1.</summary>
public static class StartRun
{
    public sealed record Request(string TriggerType, string? ExternalRef = null, string? AgentVersion = null, string? TriggeredBy = null, string? AgentKey = null);

    public sealed record Response(string RunId, string Status);

    public static async Task<IResult> Handle(HttpContext http, Database database, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        var fields = new JsonFields(http.GetAgentBody(), new FieldErrors());
        var max = limits.Value.MaxStringLength;
        var triggerType = fields.String("triggerType", required: true, maxLength: max);
        var externalRef = fields.String("externalRef", maxLength: max);
        var agentVersion = fields.String("agentVersion", maxLength: max);
        var triggeredBy = fields.String("triggeredBy", maxLength: max);
        if (fields.Errors.Any)
        {
            return Problems.Validation(fields.Errors);
        }

        var agent = http.GetAgent();
        var runId = Ids.New("run", time);
        await database.WriteAsync((c, t) => InsertAsync(c, t, agent, new Opening(runId, triggerType!, externalRef, agentVersion, triggeredBy), time.Now()),
            http.RequestAborted);

        return TypedResults.Created($"/api/runs/{runId}", new Response(runId, RunStatus.Running));
    }

    /// <summary>A run about to be opened.</summary>
    public sealed record Opening(string RunId, string TriggerType, string? ExternalRef, string? AgentVersion, string? TriggeredBy);

    /// <summary>Writes a new running run and its <c>run.started</c> entry, inside the caller's transaction (REST and MCP open runs here).</summary>
    public static async Task InsertAsync(DbConnection c, DbTransaction t, AgentIdentity agent, Opening run, long now)
    {
        var (runId, triggerType, externalRef, agentVersion, triggeredBy) = run;
        var started = System.Text.Json.JsonSerializer.Serialize(new { triggerType, externalRef, agentVersion, triggeredBy });
        await c.ExecuteAsync(
            """
            INSERT INTO runs (id, workspace_id, agent_id, status, trigger_type, external_ref, agent_version, triggered_by, started_at)
            VALUES (@runId, @ws, @agentId, 'running', @triggerType, @externalRef, @agentVersion, @triggeredBy, @now)
            """,
            new { runId, ws = agent.WorkspaceId, agentId = agent.AgentId, triggerType, externalRef, agentVersion, triggeredBy, now }, t);
        // INVARIANT: sequence 1 of every run is the server's run.started entry.
        await c.ExecuteAsync(
            """
            INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
            VALUES (@runId, @ws, 1, 1, 'system', 'run.started', @started, @now, @now)
            """,
            new { runId, ws = agent.WorkspaceId, started, now }, t);
    }
}
