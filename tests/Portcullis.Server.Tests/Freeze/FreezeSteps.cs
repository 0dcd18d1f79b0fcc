using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Freeze;

/// <summary>The kill switch and the check endpoint, as tests drive them.</summary>
public static class FreezeSteps
{
    public static async Task<JsonElement> FreezeAgentAsync(this TestWorkspace ws, string reason)
    {
        var response = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/freeze", new { reason });
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<JsonElement> UnfreezeAgentAsync(this TestWorkspace ws)
    {
        var response = await ws.Owner().PostAsync($"/api/agents/{ws.AgentId}/unfreeze", null);
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<JsonElement> CheckActionAsync(this TestWorkspace ws, object body)
    {
        var response = await ws.Agent().PostJson("/api/actions/check", body);
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    /// <summary>Rows of <c>action_requests</c> in the run, read from the database itself.</summary>
    public static Task<long> ActionRowsAsync(this ServerFixture server, string runId) =>
        server.Factory.Services.GetRequiredService<Database>().ReadAsync(c =>
            c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM action_requests WHERE run_id = @runId", new { runId }));
}
