using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Security;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Change = Portcullis.Server.Features.Subscriptions.EventSubscriptionStore.Change;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// <c>/api/event-subscriptions</c> (admin): create <c>{ url, types, description? }</c>, list, get, <c>PATCH</c>, delete,
/// <c>POST …/{id}/test</c> (queues a <c>dev.portcullis.subscription.test</c> event) and <c>GET …/{id}/deliveries</c>.
/// </summary>
public static class EventSubscriptionsApi
{
    /// <summary>A type name outside the published list: 400 with this code, each offending name under <c>errors.types</c>.</summary>
    public const string UnknownEventType = "unknown_event_type";

    public const string SubscriptionLimit = "subscription_limit_reached";

    public static RouteGroupBuilder Map(RouteGroupBuilder group)
    {
        var subs = group.MapGroup("/event-subscriptions").RequireAuthorization(RolePolicies.Admin);
        subs.MapGet("", List);
        subs.MapPost("", Create).Accepts<EventSubscriptionInput>("application/json");
        subs.MapGet("/{id}", Get);
        subs.MapPatch("/{id}", Update).Accepts<EventSubscriptionInput>("application/json");
        subs.MapDelete("/{id}", Delete);
        subs.MapPost("/{id}/test", SendTest);
        subs.MapGet("/{id}/deliveries", Deliveries);
        return group;
    }

    public static async Task<Ok<EventSubscriptionList>> List(HttpContext http, EventSubscriptionStore store) =>
        TypedResults.Ok(new EventSubscriptionList(await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted), EventTypes.All));

    public static async Task<Results<Ok<EventSubscriptionDto>, ProblemHttpResult>> Get(HttpContext http, string id, EventSubscriptionStore store) =>
        await store.FindAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } found
            ? TypedResults.Ok(found)
            : NotFound(id);

    public static Task<Results<Created<EventSubscriptionDto>, ProblemHttpResult>> Create(
        HttpContext http, EventSubscriptionStore store, OutboundGuard guard, IOptions<LimitsOptions> limits) =>
        JsonBody.ThenAsync<Created<EventSubscriptionDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var (input, problem) = await ReadAsync(body, create: true, guard, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var member = http.User.GetMember();
            var (change, id) = await store.CreateAsync(member.WorkspaceId, member.UserId, input.Url!, input.Types!, input.Description, CancellationToken.None);
            if (change == Change.LimitReached)
            {
                return Problems.Conflict("this workspace has as many event subscriptions as it may have; delete one first", SubscriptionLimit);
            }

            return TypedResults.Created($"/api/event-subscriptions/{id}", await store.FindAsync(member.WorkspaceId, id!, CancellationToken.None));
        });

    public static Task<Results<Ok<EventSubscriptionDto>, ProblemHttpResult>> Update(
        HttpContext http, string id, EventSubscriptionStore store, OutboundGuard guard, IOptions<LimitsOptions> limits) =>
        JsonBody.ThenAsync<Ok<EventSubscriptionDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var (input, problem) = await ReadAsync(body, create: false, guard, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var member = http.User.GetMember();
            return await store.UpdateAsync(member.WorkspaceId, member.UserId, id, input, CancellationToken.None) == Change.NotFound
                ? NotFound(id)
                : TypedResults.Ok((await store.FindAsync(member.WorkspaceId, id, CancellationToken.None))!);
        });

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, string id, EventSubscriptionStore store)
    {
        var member = http.User.GetMember();
        return await store.DeleteAsync(member.WorkspaceId, member.UserId, id, CancellationToken.None) == Change.NotFound
            ? NotFound(id)
            : TypedResults.NoContent();
    }

    public static async Task<Results<Accepted<EventDeliveryDto>, ProblemHttpResult>> SendTest(
        HttpContext http, string id, EventSubscriptionStore store, EventDeliveryQueries deliveries)
    {
        var member = http.User.GetMember();
        if (await store.SendTestAsync(member.WorkspaceId, member.UserId, id, CancellationToken.None) is not { } deliveryId)
        {
            return NotFound(id);
        }

        var queued = (await deliveries.RecentAsync(member.WorkspaceId, id, 50, CancellationToken.None)).First(d => d.Id == deliveryId);
        return TypedResults.Accepted($"/api/event-subscriptions/{id}/deliveries", queued);
    }

    public static async Task<Results<Ok<EventDeliveryList>, ProblemHttpResult>> Deliveries(
        HttpContext http, string id, EventSubscriptionStore store, EventDeliveryQueries deliveries, int? limit)
    {
        var workspaceId = http.User.GetMember().WorkspaceId;
        if (await store.FindAsync(workspaceId, id, http.RequestAborted) is null)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(new EventDeliveryList(await deliveries.RecentAsync(workspaceId, id, Math.Clamp(limit ?? 50, 1, 200), http.RequestAborted)));
    }

    /// <summary>Reads and checks a body: field errors first, then unknown types, then the URL through the outbound guard.</summary>
    private static async Task<(EventSubscriptionInput Input, ProblemHttpResult? Problem)> ReadAsync(
        System.Text.Json.JsonElement body, bool create, OutboundGuard guard, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var unknown = new List<string>();
        var input = EventSubscriptionInput.Read(body, create, errors, unknown);
        if (errors.Any)
        {
            return (input, Problems.Validation(errors));
        }

        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.Select(u => $"`{u}`"));
            return (input, Problems.Create(400, UnknownEventType, "Unknown event type", $"unknown event types: {names}",
                new Dictionary<string, object?>
                {
                    ["errors"] = new FieldErrors().Add("types", $"unknown event types: {names}").ToDictionary(),
                    ["eventTypes"] = EventTypes.All,
                }));
        }

        // SECURITY: checked here for a clear answer, and again at every delivery and connection.
        if (input.Url is { } url && await guard.ProblemAsync(url, OutboundUrlRules.Endpoint, ct) is { } refused)
        {
            return (input, Problems.UrlNotAllowed("url", refused));
        }

        return (input, null);
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"event subscription `{id}`");
}
