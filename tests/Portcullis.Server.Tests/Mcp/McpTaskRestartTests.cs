using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>An MCP task lives in the store: created on one instance, it is polled to completion on another after the first is gone.</summary>
public sealed class McpTaskRestartTests
{
    [Fact]
    public async Task A_task_created_on_one_instance_completes_on_another_after_the_first_stopped()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var settings = new Dictionary<string, string?>();
        var one = new PortcullisFactory(database, settings);
        await using var two = new PortcullisFactory(database, settings);
        _ = two.Server;
        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        await one.Services.GetRequiredService<Database>().WriteAsync((c, t) => one.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request("tasks", $"owner-{suffix[..10]}@example.com", "another secure password", "agent", agentKey, ownerToken)));
        await ApprovalSteps.RequireApprovalAsync(Client(one, ownerToken));

        var created = McpRaw.Result(await new McpRaw(Client(one, agentKey), declaresTasks: true).CallToolAsync("refund.create", new { charge = "ch_9", amount = 100 }));
        var taskId = created.GetProperty("taskId").GetString()!;
        await one.DisposeAsync();

        var mcp = new McpRaw(Client(two, agentKey), declaresTasks: true);
        Assert.Equal("working", McpRaw.Result(await mcp.TaskAsync("tasks/get", taskId)).GetProperty("status").GetString());
        var owner = Client(two, ownerToken);
        var email = $"approver-{suffix[..8]}@example.com";
        await owner.AddMemberAsync(two.CreateClient(), email, "approver", name: "approver");
        var login = await (await two.CreateClient().PostJson("/api/auth/login", new { email, password = "a long enough password" })).Json();
        await (await Client(two, login.GetProperty("token").GetString()!).ApproveAsync(taskId)).AssertStatus(HttpStatusCode.OK);

        var done = await mcp.UntilDoneAsync(taskId, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.StartsWith("re_", done.GetProperty("result").GetProperty("structuredContent").GetProperty("id").GetString());
    }

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
