namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Endpoint metadata: the <c>WWW-Authenticate</c> value the AgentKey scheme sends with its 401 on this endpoint (the MCP
/// endpoint points clients at its protected-resource metadata, RFC 9728 §5.1).
/// </summary>
public interface IBearerChallenge
{
    string HeaderValue(HttpContext http);
}
