using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary><c>POST /api/ingest/run-end</c>: closes a run with a final status.</summary>
public static class EndRun
{
    public sealed record Request(string RunId, string Status, string? AgentKey = null);

    // Mapped without the billing lock so agents can always close what they opened.
    public static async Task<IResult> Handle(HttpContext http, Database database, Timeline timeline, Subscriptions.EventOutbox events, TimeProvider time)
    {
        var fields = new JsonFields(http.GetAgentBody(), new FieldErrors());
        var runId = fields.String("runId", required: true, maxLength: 64);
        var status = fields.OneOf("status", RunStatus.Final, required: true);
        if (fields.Errors.Any)
        {
            return Problems.Validation(fields.Errors);
        }

        var agent = http.GetAgent();
        var now = time.Now();
        return await database.WriteAsync<IResult>(async (c, t) =>
        {
            // The status guard in the WHERE clause decides; a concurrent end loses cleanly.
            var updated = await c.ExecuteAsync(
                "UPDATE runs SET status = @status, ended_at = @now WHERE id = @runId AND agent_id = @agentId AND status IN ('running', 'awaiting_approval')",
                new { status, now, runId, agentId = agent.AgentId }, t);
            var run = await c.QueryFirstOrDefaultAsync<RunRow>(
                $"SELECT {RunRow.Columns} FROM runs WHERE id = @runId AND agent_id = @agentId", new { runId, agentId = agent.AgentId }, t);
            if (run is null)
            {
                return Problems.NotFound($"run `{runId}`");
            }

            if (updated == 0)
            {
                return Problems.Conflict($"run `{runId}` has already ended with status `{run.Status}`", ErrorCodes.RunEnded);
            }

            await timeline.AppendSystemAsync(c, t, agent.WorkspaceId, runId!, "run.ended", new { status });
            await events.EnqueueAsync(c, t, agent.WorkspaceId, Subscriptions.EventTypes.RunEnded, runId, run.ToDto());
            return TypedResults.Ok(run.ToDto());
        }, http.RequestAborted);
    }
}
