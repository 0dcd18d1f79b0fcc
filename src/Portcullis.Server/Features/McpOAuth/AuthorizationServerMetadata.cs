using System.Text.Json.Serialization;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary><c>GET /.well-known/oauth-authorization-server</c>: RFC 8414 metadata of the MCP authorization server.</summary>
public static class AuthorizationServerMetadata
{
    public sealed record Document(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("authorization_endpoint")] string AuthorizationEndpoint,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("registration_endpoint")] string RegistrationEndpoint,
        [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
        [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
        [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
        [property: JsonPropertyName("response_modes_supported")] IReadOnlyList<string> ResponseModesSupported,
        [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
        [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
        [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] IReadOnlyList<string> RevocationEndpointAuthMethodsSupported,
        [property: JsonPropertyName("code_challenge_methods_supported")] IReadOnlyList<string> CodeChallengeMethodsSupported,
        [property: JsonPropertyName("authorization_response_iss_parameter_supported")] bool IssParameterSupported,
        [property: JsonPropertyName("client_id_metadata_document_supported")] bool ClientIdMetadataDocumentSupported);

    /// <summary>Client ID metadata documents are not supported: clients register (RFC 7591) instead.</summary>
    public static Document For(string issuer) => new(
        issuer,
        issuer + McpOAuthEndpoints.AuthorizePath,
        issuer + McpOAuthEndpoints.TokenPath,
        issuer + McpOAuthEndpoints.RegisterPath,
        issuer + McpOAuthEndpoints.RevokePath,
        [AuthorizationRequest.McpScope],
        ["code"],
        ["query"],
        ["authorization_code", "refresh_token"],
        ["none"],
        ["none"],
        ["S256"],
        IssParameterSupported: true,
        ClientIdMetadataDocumentSupported: false);
}
