using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;
using Change = Portcullis.Server.Features.Subscriptions.EventSubscriptionStore.Change;

namespace Portcullis.Server.Features.Dashboard.Pages.Settings;

/// <summary>
/// Event subscriptions (admins and owners, like the API): the list, a create form, delete, "send test event", and the recent
/// deliveries of one subscription with every attempt.
/// </summary>
[Authorize(Policy = DashboardPolicies.Admin)]
public sealed class EventsModel(EventSubscriptionStore store, EventDeliveryQueries deliveries, OutboundGuard guard) : DashboardPage
{
    public IReadOnlyList<EventSubscriptionDto> Subscriptions { get; private set; } = [];

    public EventSubscriptionDto? Selected { get; private set; }

    public IReadOnlyList<EventDeliveryDto> Deliveries { get; private set; } = [];

    public async Task OnGetAsync(string? id)
    {
        Subscriptions = await store.ListAsync(Member.WorkspaceId, Aborted);
        Selected = Subscriptions.FirstOrDefault(s => s.Id == id) ?? Subscriptions.FirstOrDefault();
        Deliveries = Selected is null ? [] : await deliveries.RecentAsync(Member.WorkspaceId, Selected.Id, 20, Aborted);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostCreateAsync(string? url, string[]? types, string? description)
    {
        var problem = await CheckAsync(FormFields.Text(url, required: true)?.Trim(), types ?? [], FormFields.Text(description)?.Trim());
        if (problem is null)
        {
            var (change, id) = await store.CreateAsync(Member.WorkspaceId, Member.UserId, url!.Trim(), types!, FormFields.Text(description)?.Trim(), Aborted);
            if (change == Change.Done)
            {
                Flash("Subscription created. Send a test event to check the receiver.");
                return LocalRedirect($"/settings/events?id={id}");
            }

            problem = FormProblem.Refused(StatusCodes.Status409Conflict, "this workspace has as many event subscriptions as it may have; delete one first");
        }

        Fail(problem);
        await OnGetAsync(null);
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (await store.DeleteAsync(Member.WorkspaceId, Member.UserId, id, Aborted) == Change.NotFound)
        {
            return Missing($"Event subscription {id}");
        }

        Flash("Subscription deleted.");
        return LocalRedirect("/settings/events");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostTestAsync(string id)
    {
        if (await store.SendTestAsync(Member.WorkspaceId, Member.UserId, id, Aborted) is null)
        {
            return Missing($"Event subscription {id}");
        }

        Flash("Test event queued; its delivery shows below in a moment.");
        return LocalRedirect($"/settings/events?id={id}");
    }

    // The API's rules: a URL the outbound guard accepts, at least one known type, a short description.
    private async Task<FormProblem?> CheckAsync(string? url, string[] types, string? description)
    {
        var errors = new FieldErrors();
        if (url is not { Length: > 0 and <= EventSubscriptionInput.MaxUrlLength })
        {
            errors.Add("url", "is required");
        }

        if (types.Length == 0 || types.Any(t => !EventTypes.IsKnown(t)))
        {
            errors.Add("types", "pick at least one event type");
        }

        if (description is { Length: > 500 })
        {
            errors.Add("description", "must be at most 500 characters");
        }

        if (errors.Any)
        {
            return FormProblem.Invalid(errors);
        }

        return await guard.ProblemAsync(url!, OutboundUrlRules.Endpoint, Aborted) is { } refused
            ? FormProblem.Invalid(new FieldErrors().Add("url", refused))
            : null;
    }
}
