using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// A workspace provisioned on one of several in-process instances sharing a store, in live mode with a webhook credential
/// pointing at <paramref name="ReceiverUrl"/> linked to its agent; clients for any instance.
/// </summary>
public sealed record SharedStoreWorkspace(WorkspaceProvisioner.Created Created, string OwnerToken, string AgentKey)
{
    public static async Task<SharedStoreWorkspace> CreateLiveAsync(PortcullisFactory instance, string name, string receiverUrl)
    {
        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        var created = await instance.Services.GetRequiredService<Database>().WriteAsync((c, t) => instance.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request(name, $"owner-{suffix[..10]}@example.com", "another secure password", "agent", agentKey, ownerToken)));
        var owner = Client(instance, ownerToken);
        await (await owner.PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        var credential = await owner.PostJson("/api/credentials", new { provider = "webhook", name = "hooks", secrets = new { baseUrl = receiverUrl } });
        await credential.AssertStatus(HttpStatusCode.Created);
        await (await owner.PostJson($"/api/credentials/{(await credential.Json()).GetProperty("id").GetString()}/links", new { agentId = created.AgentId }))
            .AssertStatus(HttpStatusCode.NoContent);
        return new SharedStoreWorkspace(created, ownerToken, agentKey);
    }

    public HttpClient Owner(PortcullisFactory instance) => Client(instance, OwnerToken);

    public HttpClient Agent(PortcullisFactory instance) => Client(instance, AgentKey);

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
