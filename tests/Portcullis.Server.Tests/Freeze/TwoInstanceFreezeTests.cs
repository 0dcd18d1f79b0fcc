using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Freeze;

/// <summary>A freeze made on one instance holds on another sharing the PostgreSQL database, at its very next request: nothing is cached.</summary>
public sealed class TwoInstanceFreezeTests
{
    [Fact]
    public async Task A_freeze_on_one_instance_blocks_the_next_request_on_the_other()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database, new Dictionary<string, string?>());
        await using var two = new PortcullisFactory(database, new Dictionary<string, string?>());
        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        var created = await one.Services.GetRequiredService<Database>().WriteAsync((c, t) => one.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request("two-instances", $"owner-{suffix[..10]}@example.com", "another secure password", "agent-one", agentKey, ownerToken)));
        var agentOnTwo = Client(two, agentKey);
        var runId = (await (await agentOnTwo.PostJson("/api/ingest/run-start", new { triggerType = "t" })).Json()).GetProperty("runId").GetString()!;
        Assert.Equal("allow", await DecisionAsync(agentOnTwo, runId));

        await (await Client(one, ownerToken).PostJson($"/api/agents/{created.AgentId}/freeze", new { reason = "frozen on one" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("block", await DecisionAsync(agentOnTwo, runId));

        await (await Client(one, ownerToken).PostAsync($"/api/agents/{created.AgentId}/unfreeze", null)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("allow", await DecisionAsync(agentOnTwo, runId));
    }

    private static async Task<string?> DecisionAsync(HttpClient agent, string runId)
    {
        var response = await agent.PostJson("/api/actions/request", ActionBuilders.Refund(runId));
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("decision").GetString();
    }

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
