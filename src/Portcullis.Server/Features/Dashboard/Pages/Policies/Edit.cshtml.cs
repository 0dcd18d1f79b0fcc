using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>
/// Create (<c>/policies/new</c>) or edit a policy: the condition is checked as it is typed, a draft can be
/// simulated against recorded requests, and saving goes through the <see cref="CreatePolicy"/> or <see cref="UpdatePolicy"/> use case.
/// </summary>
public sealed class EditModel(AgentQueries agents, WorkspaceQueries workspaces, PolicyStore policies, CreatePolicy createPolicy, UpdatePolicy updatePolicy, DeletePolicy deletePolicy)
    : DashboardPage
{
    public const string NewId = "new";

    public sealed record Draft(string Name, string? Description, string Condition, string Decision, string? Reason, string Priority,
        bool Enabled, IReadOnlyList<string> AgentIds, string ApprovalsRequired, bool Shadow = false);

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
                p.Enabled, p.AgentIds, p.ApprovalsRequired.ToString(CultureInfo.InvariantCulture), p.Mode == PolicyModes.Shadow);
        }

        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostSaveAsync(string id, string? name, string? description, string? condition, string? decision,
        string? reason, string? priority, bool enabled, string[]? agentIds, string? approvalsRequired, bool shadow)
    {
        if (!await LoadAsync(id))
        {
            return Missing($"Policy {id}");
        }

        Form = new Draft(name ?? "", description, condition ?? "", decision ?? "", reason, priority ?? "", enabled, agentIds ?? [], approvalsRequired ?? "", shadow);
        // On an edit, blank optional texts are given as empty so they can be cleared; on create they are left out.
        var unread = new FieldErrors();
        var input = new PolicyInput(FormFields.Text(name, required: true), FormFields.Text(description, required: !IsNew),
            FormFields.Text(condition, required: true), FormFields.Text(decision, required: true), FormFields.Text(reason, required: !IsNew),
            FormFields.Integer("priority", priority, unread), enabled, FormFields.List(agentIds),
            FormFields.Integer("approvalsRequired", approvalsRequired, unread), shadow ? PolicyModes.Shadow : PolicyModes.Enforce);
        var result = IsNew
            ? await createPolicy.ExecuteAsync(new CreatePolicyCommand(Member, input), unread, Aborted)
            : await updatePolicy.ExecuteAsync(new UpdatePolicyCommand(Member, id, input), unread, Aborted);
        if (result is SavePolicyResult.Saved { Policy: var saved })
        {
            Flash(IsNew ? $"Created {saved.Name}." : $"Saved {saved.Name} as version {saved.Version}.");
            return LocalRedirect($"/policies/{Uri.EscapeDataString(saved.Id)}");
        }

        Fail(ProblemOf(result));
        return Page();
    }

    /// <summary>Why a save was refused, in the words the API uses for it.</summary>
    internal static FormProblem ProblemOf(SavePolicyResult refused) => refused switch
    {
        SavePolicyResult.Invalid invalid => FormProblem.Invalid(invalid.Errors),
        SavePolicyResult.InvalidCondition condition => FormProblem.InvalidCondition(condition.Diagnostics),
        SavePolicyResult.NotFound missing => FormProblem.NotFound($"policy `{missing.PolicyId}`"),
        _ => throw new UnreachableException($"{refused} is not a refusal"),
    };

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (await deletePolicy.ExecuteAsync(new DeletePolicyCommand(Member, id), Aborted) is DeletePolicyResult.NotFound missing)
        {
            var problem = FormProblem.NotFound($"policy `{missing.PolicyId}`");
            return MessagePage.Result(problem.Status, "Not deleted", problem.Message);
        }

        Flash("Policy deleted. Requests it decided keep naming it.");
        return LocalRedirect("/policies");
    }

    private async Task<bool> LoadAsync(string id)
    {
        Id = id;
        Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
        MemberEmails = (await workspaces.ListMembersAsync(Member.WorkspaceId, Aborted)).ToDictionary(m => m.UserId, m => m.Email, StringComparer.Ordinal);
        if (IsNew)
        {
            return true;
        }

        var found = await policies.GetWithHistoryAsync(Member.WorkspaceId, id, Aborted);
        Existing = found?.Policy;
        Versions = found?.Versions ?? [];
        return found is not null;
    }
}
