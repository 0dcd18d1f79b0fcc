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

    public static async Task<IResult> Handle(
        HttpContext http, Database database, Subscriptions.EventOutbox events, IOptions<LimitsOptions> limits, TimeProvider time)
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
        var opened = new OpenedRun(runId, agent.WorkspaceId, agent.AgentId, triggerType!, externalRef, agentVersion, triggeredBy, time.Now());
        await database.WriteAsync((c, t) => opened.InsertAsync(c, t, events), http.RequestAborted);
        return TypedResults.Created($"/api/runs/{runId}", new Response(runId, RunStatus.Running));
    }

}

/// <summary>A run being opened: by an agent's <c>run-start</c>, a workflow starting, or an MCP client's first call.</summary>
public sealed record OpenedRun(
    string RunId, string WorkspaceId, string AgentId, string TriggerType, string? ExternalRef, string? AgentVersion, string? TriggeredBy, long Now)
{
    /// <summary>The trace of the request opening the run (read where the record is made, in the request), for later links.</summary>
    public string? TraceParent { get; init; } = Infrastructure.Telemetry.RunTrace.Current();

    public async Task InsertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, Subscriptions.EventOutbox events)
    {
        var started = System.Text.Json.JsonSerializer.Serialize(new { triggerType = TriggerType, externalRef = ExternalRef, agentVersion = AgentVersion, triggeredBy = TriggeredBy });
        await c.ExecuteAsync(
            """
            INSERT INTO runs (id, workspace_id, agent_id, status, trigger_type, external_ref, agent_version, triggered_by, started_at, trace_parent)
            VALUES (@RunId, @WorkspaceId, @AgentId, 'running', @TriggerType, @ExternalRef, @AgentVersion, @TriggeredBy, @Now, @TraceParent)
            """, this, t);
        // INVARIANT: sequence 1 of every run is the server's run.started entry.
        await c.ExecuteAsync(
            """
            INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
            VALUES (@RunId, @WorkspaceId, 1, 1, 'system', 'run.started', @started, @Now, @Now)
            """, new { RunId, WorkspaceId, started, Now }, t);
        await events.EnqueueAsync(c, t, WorkspaceId, Subscriptions.EventTypes.RunStarted, RunId, new RunDto(
            RunId, RunStatus.Running, AgentId, TriggerType, ExternalRef, AgentVersion, TriggeredBy, Times.ToIso(Now), null));
    }
}
