using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>A workspace whose refunds need approval, provisioned on one of several instances sharing a store; clients for any instance.</summary>
public sealed record ScaledApprovals(string OwnerToken, string AgentKey, string ApproverToken)
{
    /// <summary>
    /// Polling was every 200 ms; a minute here means a test that still passes cannot be relying on a re-read, only on the
    /// change feed (the setting is no longer read at all).
    /// </summary>
    public static readonly Dictionary<string, string?> NoPolling = new() { ["Portcullis:Approvals:LongPollIntervalMs"] = "60000" };

    public static async Task<ScaledApprovals> CreateAsync(PortcullisFactory instance)
    {
        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        var created = await instance.Services.GetRequiredService<Database>().WriteAsync((c, t) => instance.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request("scaled", $"owner-{suffix[..10]}@example.com", "another secure password", "agent", agentKey, ownerToken)));
        var owner = Client(instance, ownerToken);
        await GoLiveAsync(owner, created.AgentId);
        await RequireApprovalAsync(owner);
        var email = $"approver-{suffix[..8]}@example.com";
        await owner.AddMemberAsync(instance.CreateClient(), email, "approver", "approver");
        var login = await instance.CreateClient().PostJson("/api/auth/login", new { email, password = "a long enough password" });
        return new ScaledApprovals(ownerToken, agentKey, (await login.Json()).GetProperty("token").GetString()!);
    }

    public HttpClient Agent(PortcullisFactory instance) => Client(instance, AgentKey);

    public HttpClient Approver(PortcullisFactory instance) => Client(instance, ApproverToken);

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }
}
