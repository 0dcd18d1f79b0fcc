using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>
/// Create (<c>/policies/new</c>) or edit a policy: the condition is checked as it is typed, a draft can be
/// simulated against recorded requests, and saving goes through the API's create or update use case.
/// </summary>
public sealed class EditModel(Database database, AuditTrail audit, TimeProvider time) : DashboardPage
{
    public const string NewId = "new";

    public sealed record Draft(string Name, string? Description, string Condition, string Decision, string? Reason, string Priority,
        bool Enabled, IReadOnlyList<string> AgentIds, string ApprovalsRequired);

    public string Id { get; private set; } = NewId;

    public bool IsNew => Id == NewId;

    public PolicyDto? Existing { get; private set; }

    public IReadOnlyList<PolicyVersionDto> Versions { get; private set; } = [];

    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public IReadOnlyDictionary<string, string> MemberEmails { get; private set; } = new Dictionary<string, string>();

    public Draft Form { get; private set; } = new("", null, "", "require_approval", null, "0", true, [], "1");

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return Missing($"Policy {id}");
        }

        if (Existing is { } p)
        {
            Form = new Draft(p.Name, p.Description, p.Condition, p.Decision, p.Reason, p.Priority.ToString(CultureInfo.InvariantCulture),
                p.Enabled, p.AgentIds, p.ApprovalsRequired.ToString(CultureInfo.InvariantCulture));
        }

        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostSaveAsync(string id, string? name, string? description, string? condition, string? decision,
        string? reason, string? priority, bool enabled, string[]? agentIds, string? approvalsRequired)
    {
        if (!await LoadAsync(id))
        {
            return Missing($"Policy {id}");
        }

        Form = new Draft(name ?? "", description, condition ?? "", decision ?? "", reason, priority ?? "", enabled, agentIds ?? [], approvalsRequired ?? "");
        // On an edit, blank optional texts are sent as empty so they can be cleared; on create they are left out.
        var body = new FormJson()
            .Text("name", name, required: true)
            .Text("description", description, required: !IsNew)
            .Text("condition", condition, required: true)
            .Text("decision", decision, required: true)
            .Text("reason", reason, required: !IsNew)
            .Integer("priority", priority)
            .Boolean("enabled", enabled)
            .List("agentIds", agentIds ?? [])
            .Integer("approvalsRequired", approvalsRequired)
            .ToElement();
        var result = IsNew
            ? (await PoliciesApi.CreateAsync(Member, body, database, audit, time, Aborted)).Result
            : (await PoliciesApi.UpdateAsync(Member, id, body, database, audit, time, Aborted)).Result;
        if (ApiResults.Value<PolicyDto>(result) is { } saved)
        {
            Flash(IsNew ? $"Created {saved.Name}." : $"Saved {saved.Name} as version {saved.Version}.");
            return LocalRedirect($"/policies/{Uri.EscapeDataString(saved.Id)}");
        }

        Fail(ApiResults.Problem(result)!);
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        var result = (await PoliciesApi.Delete(HttpContext, database, audit, time, id)).Result;
        if (ApiResults.Problem(result) is { } problem)
        {
            return MessagePage.Result(problem.Status, "Not deleted", problem.Message);
        }

        Flash("Policy deleted. Requests it decided keep naming it.");
        return LocalRedirect("/policies");
    }

    private async Task<bool> LoadAsync(string id)
    {
        Id = id;
        Agents = (await AgentsApi.List(HttpContext, database)).Value!;
        MemberEmails = (await MembersApi.List(HttpContext, database)).Value!.ToDictionary(m => m.UserId, m => m.Email, StringComparer.Ordinal);
        if (IsNew)
        {
            return true;
        }

        var found = ApiResults.Value<PolicyWithHistoryDto>((await PoliciesApi.Get(HttpContext, database, id)).Result);
        Existing = found?.Policy;
        Versions = found?.Versions ?? [];
        return found is not null;
    }
}
