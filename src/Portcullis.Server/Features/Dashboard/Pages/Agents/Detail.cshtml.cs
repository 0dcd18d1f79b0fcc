using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Connect;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Dashboard.Workflows;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Features.McpOAuth;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Agents;

/// <summary>
/// One agent: its Integrations tab (Connected, Ready to Link, Available; the API's integrations query)
/// its API keys (generate, shown once; revoke), its Workflows (list, last run, run now with a JSON input) and the MCP clients
/// connected to it through OAuth (revoke); above the tabs, the agent's kill switch (freeze, unfreeze).
/// </summary>
public sealed class DetailModel(AgentQueries agents, IntegrationQueries integrations, CredentialForms forms, CreateAgentKey createKey, RevokeAgentKey revokeKey,
    AgentWorkflows workflows, IOptions<OAuthAppOptions> oauth, McpGrantQueries mcpGrants, RevokeMcpGrant revokeMcpGrant, FreezeSwitch freeze) : DashboardPage
{
    public AgentDto Agent { get; private set; } = null!;

    public string Tab { get; private set; } = "integrations";

    public IntegrationsApi.Integrations Integrations { get; private set; } = null!;

    public IReadOnlyList<AgentKeyDto> Keys { get; private set; } = [];

    public IReadOnlyList<WorkflowSummary> Workflows { get; private set; } = [];

    /// <summary>MCP clients a member connected to this agent through the OAuth consent page.</summary>
    public IReadOnlyList<McpClientGrantDto> McpClients { get; private set; } = [];

    /// <summary>The workflow whose manual run was refused, and the input typed for it (shown again to be fixed).</summary>
    public (string WorkflowId, string? Input)? FailedRun { get; private set; }

    /// <summary>A key just generated: rendered in this response only, never stored or redirected.</summary>
    public CreatedAgentKeyDto? NewKey { get; private set; }

    public string? FailedProvider { get; private set; }

    public string? PostedName { get; private set; }

    /// <summary>The Connect dialog to render open, and its tab (from <c>?connect=…&amp;pane=…</c>, or after a refused Connect).</summary>
    public (string? Provider, string Pane) OpenDialog { get; private set; } = (null, ConnectDialog.NewPane);

    public IReadOnlyList<ConnectDialog> Dialogs => ConnectDialog.All(Agent.Id, Integrations, FormFor, OpenDialog, Can(Role.Admin));

    public ConnectForm FormFor(string provider)
    {
        var spec = ProviderFields.ByProvider[provider];
        var failed = provider == FailedProvider;
        return new ConnectForm(provider, Agent.Id, spec.OAuth, ProviderFields.OAuthOnly(provider), oauth.Value.For(provider).Configured,
            Can(Role.Admin), failed ? Problem : null, failed ? PostedName : null);
    }

    public async Task<IActionResult> OnGetAsync(string id, string? tab, string? connect, string? pane)
    {
        OpenDialog = ConnectDialog.Requested(connect, pane);
        return await LoadAsync(id, tab) ? Page() : Missing($"Agent {id}");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostConnectAsync(string id)
    {
        var form = await Request.ReadFormAsync(Aborted);
        var (done, problem) = await forms.ConnectAsync(Member, form, Aborted);
        if (done is not null)
        {
            return Back(id, "integrations", done.Message);
        }

        (FailedProvider, PostedName) = (form["provider"], form["name"]);
        OpenDialog = ConnectDialog.Requested(FailedProvider, ConnectDialog.NewPane);
        return await FailAsync(id, "integrations", problem!);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostLinkAsync(string id, string credentialId) =>
        await forms.LinkAsync(Member, credentialId, id, Aborted) is { } problem
            ? await FailAsync(id, "integrations", problem)
            : Back(id, "integrations", "Linked. The agent can use this credential now.");

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDisconnectAsync(string id, string credentialId) =>
        await forms.DisconnectAsync(Member, credentialId, id, Aborted) is { } problem
            ? await FailAsync(id, "integrations", problem)
            : Back(id, "integrations", "Disconnected. The credential stays in the workspace until it is deleted on the Connectors page.");

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostVerifyAsync(string id, string credentialId)
    {
        var (done, problem) = await forms.VerifyAsync(Member, credentialId, Aborted);
        return done is null ? await FailAsync(id, "integrations", problem!) : Back(id, "integrations", done.Message, done.Failed);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostGenerateKeyAsync(string id, string? keyName)
    {
        switch (await createKey.ExecuteAsync(new CreateAgentKeyCommand(Member, id, FormFields.Text(keyName)), null, Aborted))
        {
            case CreateAgentKeyResult.Created created:
                NewKey = created.Key;
                await LoadAsync(id, "keys");
                return Page();
            case CreateAgentKeyResult.Invalid invalid:
                return await FailAsync(id, "keys", FormProblem.Invalid(invalid.Errors));
            case CreateAgentKeyResult.AgentNotFound missing:
                return await FailAsync(id, "keys", FormProblem.NotFound($"agent `{missing.AgentId}`"));
            default:
                throw new UnreachableException();
        }
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostRevokeKeyAsync(string id, string keyId)
    {
        switch (await revokeKey.ExecuteAsync(new RevokeAgentKeyCommand(Member, id, keyId), Aborted))
        {
            case RevokeAgentKeyResult.Revoked:
                return Back(id, "keys", "Key revoked. Calls with it are refused from now on.");
            case RevokeAgentKeyResult.KeyNotFound missing:
                return await FailAsync(id, "keys", FormProblem.NotFound($"key `{missing.KeyId}` of agent `{missing.AgentId}`"));
            default:
                throw new UnreachableException();
        }
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostRevokeMcpClientAsync(string id, string grantId) =>
        await revokeMcpGrant.ExecuteAsync(new RevokeMcpGrantCommand(Member, id, grantId), Aborted)
            ? Back(id, "mcp", "Access revoked. The client's tokens are refused from its next call.")
            : await FailAsync(id, "mcp", FormProblem.NotFound($"MCP client grant `{grantId}` of agent `{id}`"));

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostFreezeAsync(string id, string? reason) => SetFrozenAsync(id, true, FormFields.Text(reason));

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostUnfreezeAsync(string id) => SetFrozenAsync(id, false, null);

    private async Task<IActionResult> SetFrozenAsync(string id, bool frozen, string? reason) =>
        await freeze.SetAsync(Member.WorkspaceId, FreezeScope.Agent, id, Actor.User(Member.UserId), frozen, reason, Aborted)
            ? Back(id, "integrations", frozen ? "Agent frozen. Its next request is blocked." : "Agent unfrozen. It can act again.")
            : Missing($"Agent {id}");

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostRunWorkflowAsync(string id, string workflowId, string? runInput)
    {
        switch (await workflows.RunAsync(Member, id, workflowId, runInput, Aborted))
        {
            case AgentWorkflows.ManualRun.Started started:
                Flash("Workflow run started.");
                return LocalRedirect($"/workflow-runs/{Uri.EscapeDataString(started.WorkflowRunId)}");
            case AgentWorkflows.ManualRun.Refused refused:
                FailedRun = (workflowId, runInput);
                return await FailAsync(id, "workflows", FormProblem.Of(refused.Message, refused.Status));
            default:
                throw new UnreachableException();
        }
    }

    private IActionResult Back(string id, string tab, string message, bool failed = false)
    {
        if (failed)
        {
            FlashError(message);
        }
        else
        {
            Flash(message);
        }

        return LocalRedirect($"/agents/{Uri.EscapeDataString(id)}?tab={tab}");
    }

    private async Task<IActionResult> FailAsync(string id, string tab, FormProblem problem)
    {
        Fail(problem);
        return await LoadAsync(id, tab) ? Page() : Missing($"Agent {id}");
    }

    private async Task<bool> LoadAsync(string id, string? tab)
    {
        if (await agents.GetAsync(Member.WorkspaceId, id, Aborted) is not { } agent)
        {
            return false;
        }

        Agent = agent;
        Tab = tab is "keys" or "workflows" or "mcp" ? tab : "integrations";
        Integrations = await integrations.GetAsync(Member.WorkspaceId, id, Aborted)
            ?? throw new UnreachableException($"agent `{id}` vanished while its page loaded");
        Keys = await agents.ListKeysAsync(Member.WorkspaceId, id, Aborted) ?? [];
        Workflows = Tab == "workflows" ? await workflows.ListAsync(Member.WorkspaceId, id, Aborted) : [];
        McpClients = Tab == "mcp" ? await mcpGrants.ListAsync(Member.WorkspaceId, id, Aborted) ?? [] : [];
        return true;
    }
}
