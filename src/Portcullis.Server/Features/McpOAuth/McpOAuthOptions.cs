namespace Portcullis.Server.Features.McpOAuth;

/// <summary><c>Portcullis:Mcp:OAuth</c>: lifetimes of what the MCP authorization server issues, and its registration limit.</summary>
public sealed class McpOAuthOptions
{
    public const string Section = "Portcullis:Mcp:OAuth";

    /// <summary>Access tokens are short-lived: a revoked grant stops working within this, even on a token already issued (tokens are checked on every call anyway).</summary>
    public int AccessTokenMinutes { get; set; } = 60;

    public int RefreshTokenDays { get; set; } = 30;

    /// <summary>An authorization code must be exchanged within this (RFC 6749 §4.1.2 recommends at most 10 minutes).</summary>
    public int CodeSeconds { get; set; } = 120;

    /// <summary>Registrations, token requests and revocations per client address per minute (the endpoints are anonymous).</summary>
    public int RequestsPerMinute { get; set; } = 60;

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);

    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(RefreshTokenDays);

    public TimeSpan CodeLifetime => TimeSpan.FromSeconds(CodeSeconds);
}
