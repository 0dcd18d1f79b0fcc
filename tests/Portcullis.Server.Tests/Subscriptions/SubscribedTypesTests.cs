using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Subscriptions.EventSteps;

namespace Portcullis.Server.Tests.Subscriptions;

/// <summary>
/// <c>workspaces.event_types</c>, which the decision path trusts to skip reading the subscriptions: every create, change and
/// delete keeps it equal to what the subscriptions ask for, also when several happen at once.
/// </summary>
public abstract class SubscribedTypesTests(EventServer server)
{
    private const string Nowhere = "http://127.0.0.1:9/events";

    [Fact]
    public async Task A_type_added_by_a_change_is_queued_from_the_next_request_and_none_after_the_delete()
    {
        var ws = await server.NewWorkspaceAsync();
        var subscription = await SubscribeAsync(ws.Owner(), Nowhere, "run.ended");
        await RefundAsync(ws.Agent());
        Assert.Equal(0, await DecidedAsync(ws.WorkspaceId));

        await (await ws.Owner().PatchJson($"/api/event-subscriptions/{subscription}", new { types = new[] { "run.ended", "action.decided" } }))
            .AssertStatus(HttpStatusCode.OK);
        await RefundAsync(ws.Agent());
        Assert.Equal(1, await DecidedAsync(ws.WorkspaceId));

        await (await ws.Owner().DeleteAsync($"/api/event-subscriptions/{subscription}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal("", await TypesAsync(ws.WorkspaceId));
        await RefundAsync(ws.Agent());
        Assert.Equal(0, await DecidedAsync(ws.WorkspaceId));
    }

    [Fact]
    public async Task Subscriptions_created_at_once_each_keep_their_types()
    {
        var ws = await server.NewWorkspaceAsync();
        string[] types = ["run.started", "run.ended", "action.decided", "action.executed", "action.failed", "approval.requested", "approval.decided", "policy.changed"];

        await Task.WhenAll(types.Select(type => SubscribeAsync(ws.Owner(), Nowhere, type)));

        var stored = await TypesAsync(ws.WorkspaceId);
        Assert.All(types, type => Assert.Contains("," + type + ",", stored, StringComparison.Ordinal));
    }

    private Task<long> DecidedAsync(string? workspaceId) =>
        server.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE workspace_id = @workspaceId AND event_type = 'action.decided'", new { workspaceId });

    private Task<string> TypesAsync(string? workspaceId) =>
        server.ScalarAsync<string>("SELECT event_types FROM workspaces WHERE id = @workspaceId", new { workspaceId });
}

public sealed class SubscribedTypesSqliteTests(EventServer.Sqlite s) : SubscribedTypesTests(s), IClassFixture<EventServer.Sqlite>;

public sealed class SubscribedTypesPostgresTests(EventServer.Postgres s) : SubscribedTypesTests(s), IClassFixture<EventServer.Postgres>;
