namespace Portcullis.Server.Features.Bootstrap;

/// <summary>
/// Section <c>Portcullis:Init</c>: headless first-start values (like Langfuse's <c>LANGFUSE_INIT_*</c>).
/// Read only when the database holds no workspace yet; anything supplied here is never printed.
/// </summary>
public sealed class InitOptions
{
    public const string Section = "Portcullis:Init";

    public string? WorkspaceName { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? AgentName { get; set; }
    public string? AgentKey { get; set; }
    public string? AdminToken { get; set; }
}
