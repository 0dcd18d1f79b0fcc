using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Subscriptions.EventSteps;

namespace Portcullis.Server.Tests.Subscriptions;

/// <summary><c>/api/event-subscriptions</c>: admin-only CRUD, validation that changes nothing, and workspace isolation.</summary>
public abstract class EventSubscriptionApiTests(EventServer server)
{
    [Fact]
    public async Task An_admin_creates_lists_reads_updates_and_deletes_a_subscription_and_each_change_is_audited()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = server.WithBearer(await ws.MemberTokenAsync("admin"));

        var created = await admin.PostJson("/api/event-subscriptions",
            new { url = "http://127.0.0.1:9/portcullis?token=abc", types = new[] { "action.executed", "run.ended" }, description = "ops" });
        await created.AssertStatus(HttpStatusCode.Created);
        var body = await created.Json();
        var id = body.GetProperty("id").GetString()!;
        Assert.StartsWith("esub_", id);
        Assert.Equal("http://127.0.0.1:9/portcullis?…", body.GetProperty("url").GetString());
        Assert.Equal(["action.executed", "run.ended"], body.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"/api/event-subscriptions/{id}", created.Headers.Location!.ToString());

        var list = await (await admin.GetAsync("/api/event-subscriptions")).Json();
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Contains("workflow.run.failed", list.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));

        var patched = await admin.PatchJson($"/api/event-subscriptions/{id}", new { types = new[] { "policy.changed" } });
        await patched.AssertStatus(HttpStatusCode.OK);
        var read = await (await admin.GetAsync($"/api/event-subscriptions/{id}")).Json();
        Assert.Equal(["policy.changed"], read.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("ops", read.GetProperty("description").GetString());

        await (await admin.DeleteAsync($"/api/event-subscriptions/{id}")).AssertStatus(HttpStatusCode.NoContent);
        await (await admin.GetAsync($"/api/event-subscriptions/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(["event_subscription.created", "event_subscription.updated", "event_subscription.deleted"], await server.AuditActionsAsync(id));
    }

    [Fact]
    public async Task Missing_fields_unknown_types_and_internal_urls_are_refused_with_stable_codes_and_nothing_is_written()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = ws.Owner();

        var missing = await (await admin.PostJson("/api/event-subscriptions", new { description = "x" })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(missing.GetProperty("errors").TryGetProperty("url", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("types", out _));
        await (await admin.PostJson("/api/event-subscriptions", new { url = "http://127.0.0.1:9/", types = Array.Empty<string>() }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var unknown = await (await admin.PostJson("/api/event-subscriptions", new { url = "http://127.0.0.1:9/", types = new[] { "run.started", "action.exploded" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "unknown_event_type");
        Assert.Contains("`action.exploded`", unknown.GetProperty("detail").GetString());
        foreach (var url in new[] { "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/hook", "ftp://hooks.example.com/" })
        {
            await (await admin.PostJson("/api/event-subscriptions", new { url, types = new[] { "run.started" } }))
                .AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        }

        var id = await SubscribeAsync(admin, "http://127.0.0.1:9/a", "run.started");
        await (await admin.PatchJson($"/api/event-subscriptions/{id}", new { url = "https://169.254.169.254/x" })).AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        await (await admin.PatchJson($"/api/event-subscriptions/{id}", new { types = new[] { "nope" } })).AssertProblem(HttpStatusCode.BadRequest, "unknown_event_type");

        var read = await (await admin.GetAsync($"/api/event-subscriptions/{id}")).Json();
        Assert.Equal(("http://127.0.0.1:9/a", "run.started"), (read.GetProperty("url").GetString(), read.GetProperty("types")[0].GetString()));
        Assert.Equal(1, await server.ScalarAsync<long>("SELECT COUNT(*) FROM event_subscriptions WHERE workspace_id = @ws", new { ws = ws.WorkspaceId }));
    }

    [Fact]
    public async Task Another_workspaces_subscription_is_not_found_and_members_below_admin_are_forbidden()
    {
        var mine = await server.NewWorkspaceAsync();
        var theirs = await server.NewWorkspaceAsync();
        var id = await SubscribeAsync(theirs.Owner(), "http://127.0.0.1:9/theirs", "run.started");
        var owner = mine.Owner();

        await (await owner.GetAsync($"/api/event-subscriptions/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.PatchJson($"/api/event-subscriptions/{id}", new { description = "mine now" })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostAsync($"/api/event-subscriptions/{id}/test", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.GetAsync($"/api/event-subscriptions/{id}/deliveries")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await owner.DeleteAsync($"/api/event-subscriptions/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await owner.GetAsync("/api/event-subscriptions")).Json()).GetProperty("items").EnumerateArray());

        var approver = server.WithBearer(await mine.MemberTokenAsync("approver"));
        await (await approver.GetAsync("/api/event-subscriptions")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await approver.PostJson("/api/event-subscriptions", new { url = "http://127.0.0.1:9/", types = new[] { "run.started" } }))
            .AssertProblem(HttpStatusCode.Forbidden, "forbidden");

        var still = await (await theirs.Owner().GetAsync($"/api/event-subscriptions/{id}")).Json();
        Assert.Equal("test receiver", still.GetProperty("description").GetString());
    }
}

public sealed class EventSubscriptionApiSqliteTests(EventServer.Sqlite s) : EventSubscriptionApiTests(s), IClassFixture<EventServer.Sqlite>;

public sealed class EventSubscriptionApiPostgresTests(EventServer.Postgres s) : EventSubscriptionApiTests(s), IClassFixture<EventServer.Postgres>;
