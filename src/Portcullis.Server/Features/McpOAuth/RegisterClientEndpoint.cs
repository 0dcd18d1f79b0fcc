using System.Text.Json;
using System.Text.Json.Serialization;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// <c>POST /oauth/register</c>: RFC 7591 dynamic client registration, the way an MCP client with no prior relationship
/// gets a <c>client_id</c>. Clients are public (PKCE instead of a secret); whatever a client asks for, the answer says what
/// was registered: grants <c>authorization_code</c> and <c>refresh_token</c>, response type <c>code</c>, no client authentication.
/// </summary>
public static class RegisterClientEndpoint
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxRedirectUris = 10;
    private static readonly string[] Grants = ["authorization_code", "refresh_token"];

    public sealed record Registered(
        [property: JsonPropertyName("client_id")] string ClientId,
        [property: JsonPropertyName("client_id_issued_at")] long IssuedAt,
        [property: JsonPropertyName("client_name")] string? ClientName,
        [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string> RedirectUris,
        [property: JsonPropertyName("grant_types")] IReadOnlyList<string> GrantTypes,
        [property: JsonPropertyName("response_types")] IReadOnlyList<string> ResponseTypes,
        [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);

    public static async Task<IResult> Handle(HttpContext http, McpOAuthClients clients)
    {
        var body = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body.Problem is { } problem)
        {
            return new OAuthError(OAuthError.InvalidClientMetadata, problem.ProblemDetails.Detail ?? "the body must be a JSON object").ToResult();
        }

        using var document = body.Document!;
        if (Read(document.RootElement) is { } error)
        {
            return error.ToResult();
        }

        var root = document.RootElement;
        var uris = root.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()!).Distinct(StringComparer.Ordinal).ToArray();
        var name = root.TryGetProperty("client_name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var client = await clients.RegisterAsync(name, uris, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new Registered(client.Id, client.CreatedAt / 1000, client.Name, client.RedirectUris, Grants, ["code"], "none"),
            statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The metadata's first problem, or null when it can be registered.</summary>
    private static OAuthError? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(OAuthError.InvalidClientMetadata, "the body must be a JSON object");
        }

        if (!root.TryGetProperty("redirect_uris", out var uris) || uris.ValueKind != JsonValueKind.Array || uris.GetArrayLength() is 0 or > MaxRedirectUris)
        {
            return new(OAuthError.InvalidRedirectUri, $"`redirect_uris` must be an array of 1 to {MaxRedirectUris} URIs");
        }

        foreach (var uri in uris.EnumerateArray())
        {
            if (RedirectUris.Problem(uri.ValueKind == JsonValueKind.String ? uri.GetString() : null) is { } why)
            {
                return new(OAuthError.InvalidRedirectUri, $"redirect URI {uri.GetRawText()} {why}");
            }
        }

        if (root.TryGetProperty("client_name", out var name) && (name.ValueKind != JsonValueKind.String || name.GetString()!.Length > 100))
        {
            return new(OAuthError.InvalidClientMetadata, "`client_name` must be a string of at most 100 characters");
        }

        return Unsupported(root, "grant_types", Grants) ?? Unsupported(root, "response_types", ["code"]);
    }

    private static OAuthError? Unsupported(JsonElement root, string field, string[] supported)
    {
        if (!root.TryGetProperty(field, out var values))
        {
            return null;
        }

        var ok = values.ValueKind == JsonValueKind.Array
            && values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && supported.Contains(v.GetString()));
        return ok ? null : new(OAuthError.InvalidClientMetadata, $"`{field}` may only contain {string.Join(", ", supported.Select(s => $"`{s}`"))}");
    }
}
