using Portcullis.Server.Features.Dashboard.Web;

namespace Portcullis.Server.Features.Dashboard.Connect;

/// <summary>
/// What the Connect form partial needs: the provider, the agent to link to (if any), the last failure.
/// <c>InDialog</c>: inside an agent's Connect dialog, where the setup guide and the form are shown open.
/// </summary>
public sealed record ConnectForm(string Provider, string? AgentId, bool OAuth, bool OAuthOnly, bool OAuthConfigured, bool CanConnect,
    FormProblem? Problem, string? PostedName, bool InDialog = false);
