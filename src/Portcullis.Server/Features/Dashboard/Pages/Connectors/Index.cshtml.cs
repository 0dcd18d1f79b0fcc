using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portcullis.Connectors;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Connect;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Connectors;

/// <summary>The provider grid: each provider's credentials (masked hints only), Connect, Verify Connection and Delete.</summary>
public sealed class IndexModel(AgentQueries agents, IntegrationQueries integrations, CredentialForms forms, IOptions<OAuthAppOptions> oauth) : DashboardPage
{
    public IReadOnlyList<CredentialDto> Credentials { get; private set; } = [];

    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public string? FailedProvider { get; private set; }

    public string? PostedName { get; private set; }

    public static IReadOnlyList<string> Providers => ActionCatalog.Providers;

    public string AgentName(string id) => Agents.FirstOrDefault(a => a.Id == id)?.Name ?? id;

    public ConnectForm FormFor(string provider)
    {
        var spec = ProviderFields.ByProvider[provider];
        var failed = provider == FailedProvider;
        return new ConnectForm(provider, null, spec.OAuth, ProviderFields.OAuthOnly(provider), oauth.Value.For(provider).Configured,
            Can(Role.Admin), failed ? Problem : null, failed ? PostedName : null);
    }

    public async Task OnGetAsync()
    {
        Credentials = await integrations.ListCredentialsAsync(Member.WorkspaceId, Aborted);
        Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostConnectAsync()
    {
        var form = await Request.ReadFormAsync(Aborted);
        var (done, problem) = await forms.ConnectAsync(Member, form, Aborted);
        if (done is not null)
        {
            Flash(done.Message);
            return LocalRedirect("/connectors");
        }

        FailedProvider = form["provider"];
        PostedName = form["name"];
        return await FailAsync(problem!);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostVerifyAsync(string id)
    {
        var (done, problem) = await forms.VerifyAsync(Member, id, Aborted);
        if (done is null)
        {
            return await FailAsync(problem!);
        }

        if (done.Failed)
        {
            FlashError(done.Message);
        }
        else
        {
            Flash(done.Message);
        }

        return LocalRedirect("/connectors");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (await forms.DeleteAsync(Member, id, Aborted) is { } problem)
        {
            return await FailAsync(problem);
        }

        Flash("Credential deleted; its secret is destroyed.");
        return LocalRedirect("/connectors");
    }

    private async Task<IActionResult> FailAsync(FormProblem problem)
    {
        Fail(problem);
        await OnGetAsync();
        return Page();
    }
}
