using Portcullis.Connectors;
using Portcullis.Server.Features.Credentials;

namespace Portcullis.Server.Features.Dashboard.Connect;

/// <summary>
/// An agent's Connect dialog for one provider (spec: connectors-credentials-workflows): a <b>New</b> tab with the
/// setup guide, the secret fields and Verify Connection, and an <b>Existing</b> tab listing the workspace's
/// credentials of that provider, each linked to the agent in one click without re-entering keys.
/// </summary>
/// <param name="Existing">The workspace's credentials of this provider, linked to the agent or not.</param>
/// <param name="Open">Rendered open: asked for by the URL (<c>?connect=stripe</c>) or after a refused Connect.</param>
/// <param name="Pane"><c>new</c> or <c>existing</c>: the tab shown first.</param>
public sealed record ConnectDialog(ConnectForm Form, string AgentId, IReadOnlyList<CredentialDto> Existing, bool Open, string Pane, bool CanLink)
{
    public const string NewPane = "new";
    public const string ExistingPane = "existing";

    public string Provider => Form.Provider;

    public IReadOnlyList<string> Actions => ActionCatalog.ActionsOf(Provider);

    public bool IsLinked(CredentialDto credential) => credential.LinkedAgentIds.Contains(AgentId);

    /// <summary>The card's one-word state: linked to this agent, only in the workspace, or not connected anywhere.</summary>
    public (string Label, string Css) State =>
        Existing.Any(IsLinked) ? ("connected", "badge ok") : Existing.Count > 0 ? ($"{Existing.Count} in workspace", "badge info") : ("not connected", "badge");

    /// <summary>The provider the URL asks to open (unknown names open nothing) and the tab it asks for.</summary>
    public static (string? Provider, string Pane) Requested(string? connect, string? pane) =>
        (connect is not null && ProviderFields.ByProvider.ContainsKey(connect) ? connect : null, pane == ExistingPane ? ExistingPane : NewPane);

    /// <summary>The dialogs of every provider, in catalog order.</summary>
    public static IReadOnlyList<ConnectDialog> All(string agentId, IntegrationsApi.Integrations integrations, Func<string, ConnectForm> formFor,
        (string? Provider, string Pane) open, bool canLink)
    {
        var credentials = integrations.Connected.Concat(integrations.ReadyToLink).ToList();
        return ActionCatalog.Providers
            .Select(p => new ConnectDialog(formFor(p) with { InDialog = true }, agentId, credentials.Where(c => c.Provider == p).ToList(),
                p == open.Provider, p == open.Provider ? open.Pane : NewPane, canLink))
            .ToList();
    }
}
