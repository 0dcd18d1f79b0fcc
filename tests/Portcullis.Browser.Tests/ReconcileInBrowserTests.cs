using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Browser.Tests.Infrastructure;
using Portcullis.Storage;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ReconcileInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task An_admin_settles_an_unknown_outcome_from_the_run_page_and_a_viewer_only_sees_it()
    {
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "TKT-UNKNOWN");
        var answer = await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_3OabcEXAMPLE", amount = 1200 });
        var id = answer.GetProperty("actionRequestId").GetString()!;
        // The state crash recovery leaves behind for a call that was in flight and is not safe to repeat (the recovery
        // itself is tested against a killed server in Portcullis.Server.Tests/Recovery).
        await host.Services.GetRequiredService<Database>().WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE action_requests SET status = 'unknown' WHERE id = @id", new { id }, t);
            await c.ExecuteAsync(
                """UPDATE executions SET status = 'unknown', error = '{"code":"outcome_unknown","message":"in flight at a crash"}' WHERE action_request_id = @id""",
                new { id }, t);
        });

        var viewer = await host.SignInAsync(await host.Api().AddMemberAsync("viewer"), "a long enough password");
        await viewer.GotoAsync($"/runs/{run}");
        await Expect(viewer.Locator("#reconcile")).ToContainTextAsync("An admin reconciles this.");
        await Expect(viewer.Locator("#reconcile button")).ToHaveCountAsync(0);

        var owner = await host.SignInAsync();
        await owner.GotoAsync($"/runs/{run}");
        await Expect(owner.Locator("#reconcile")).ToContainTextAsync(id);
        await owner.Locator("#reconcile input[name=comment]").FillAsync("no refund in the Stripe dashboard");
        await owner.Locator("#reconcile button[value=failed]").ClickAsync();
        await Expect(owner.Locator("body")).ToContainTextAsync("Recorded as failed.");
        await Expect(owner.Locator("#reconcile")).ToHaveCountAsync(0);

        var timeline = await (await host.Api().GetAsync($"/api/runs/{run}")).JsonAsync(HttpStatusCode.OK);
        var reconciled = timeline.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("eventType").GetString() == "action.reconciled");
        Assert.Equal("failed", reconciled.GetProperty("payload").GetProperty("outcome").GetString());
        Assert.Equal("no refund in the Stripe dashboard", reconciled.GetProperty("payload").GetProperty("comment").GetString());
        await using var c = await host.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal("failed", await c.ExecuteScalarAsync<string>("SELECT status FROM action_requests WHERE id = @id", new { id }));
    }
}
