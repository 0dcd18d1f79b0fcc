using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Credentials;

public static class LiveWorkspace
{
    /// <summary>Switches the workspace to live mode and connects a Stripe key; links it to the agent unless told not to.</summary>
    public static async Task<string> ConnectStripeAsync(this TestWorkspace ws, string apiKey = FakeStripe.GoodKey, bool link = true)
    {
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        var created = await ws.Owner().PostJson("/api/credentials", new { provider = "stripe", name = "Stripe (test)", secrets = new { apiKey } });
        await created.AssertStatus(HttpStatusCode.Created);
        var id = (await created.Json()).GetProperty("id").GetString()!;
        if (link)
        {
            await (await ws.Owner().PostJson($"/api/credentials/{id}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);
        }

        return id;
    }
}
