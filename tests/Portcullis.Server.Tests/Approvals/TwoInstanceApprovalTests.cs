using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Two server instances over one PostgreSQL behave as one: approvers racing on both execute once.</summary>
public sealed class TwoInstanceApprovalTests
{
    [Fact]
    public async Task Approvers_racing_on_two_instances_execute_the_action_exactly_once()
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var settings = new Dictionary<string, string?> { ["Portcullis:Connectors:Stripe:BaseUrl"] = stripe.BaseUrl };
        await using var one = new PortcullisFactory(database, settings);
        await using var two = new PortcullisFactory(database, settings);
        _ = one.Server;
        _ = two.Server;

        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        var created = await one.Services.GetRequiredService<Database>().WriteAsync((c, t) => one.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request("two-instances", $"owner-{suffix[..10]}@example.com", "another secure password", "agent-one", agentKey, ownerToken)));
        var owner = Client(one, ownerToken);
        await GoLiveAsync(owner, created.AgentId);
        await RequireApprovalAsync(owner);
        var r = await RequestRefundAsync(Client(two, agentKey));

        var approvers = new List<HttpClient>();
        for (var i = 0; i < 20; i++)
        {
            var email = $"approver-{i}-{suffix[..8]}@example.com";
            await owner.AddMemberAsync(one.CreateClient(), email, "approver", name: $"approver {i}");
            var instance = i % 2 == 0 ? one : two;
            var login = await instance.CreateClient().PostJson("/api/auth/login", new { email, password = "a long enough password" });
            approvers.Add(Client(instance, (await login.Json()).GetProperty("token").GetString()!));
        }

        var answers = await Task.WhenAll(approvers.Select(a => a.ApproveAsync(r.ApprovalId)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var loser in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            await loser.AssertProblem(HttpStatusCode.Conflict, "already_decided");
        }

        Assert.Equal(1, stripe.RefundsFor(r.ActionRequestId));
        await one.Services.GetRequiredService<Portcullis.Server.Features.Audit.AuditChainer>().ChainAllAsync(); // audit entries are chained after commit
        await using var c = await one.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE action_request_id = @id", new { id = r.ActionRequestId }));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE action = 'approval.approved' AND target_id = @id", new { id = r.ApprovalId }));
        var seenByTwo = await Client(two, agentKey).ApprovalAsync(r.ApprovalId);
        Assert.Equal("executed", seenByTwo.GetProperty("execution").GetProperty("status").GetString());
    }

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
