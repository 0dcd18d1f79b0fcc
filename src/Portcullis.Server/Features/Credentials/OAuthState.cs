namespace Portcullis.Server.Features.Credentials;

/// <summary>An OAuth authorisation in flight: the single-use <c>state</c> and the PKCE verifier, from start to callback.</summary>
public sealed class OAuthState
{
    public string State { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Name { get; init; } = "";
    public string? AgentId { get; init; }
    public string CreatedBy { get; init; } = "";
    public string RedirectUri { get; init; } = "";
    public string CodeVerifier { get; init; } = "";
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }

    /// <summary>SHA-256 of the cookie set on the starting browser (<see cref="OAuthBinding"/>); null for flows started before the binding existed.</summary>
    public string? BindingHash { get; init; }
}
