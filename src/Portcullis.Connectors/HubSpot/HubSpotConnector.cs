using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.HubSpot;

/// <summary>
/// HubSpot CRM v3 objects API with a Bearer token (private app token, or OAuth access token that is
/// refreshed when a refresh token is stored). PATCH and GET repeat safely; create does not.
/// </summary>
internal sealed class HubSpotConnector : ProviderConnector
{
    public override string Provider => ProviderNames.HubSpot;

    public override bool UsesOAuth(CredentialSecrets credential) => credential.Get("refreshToken") is not null;

    public override ProviderCall BuildCall(CallContext context)
    {
        var auth = ProviderCall.Bearer(Require(context.Credential, "accessToken"));
        var baseUrl = context.Options.HubSpotBaseUrl;
        return context.Model switch
        {
            CrmCreate create => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, $"/crm/v3/objects/{create.ObjectType}"), RetryMode.NotIdempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(CreateBody(create)),
            },
            // The search is a POST only to carry its filters; it reads, so it may be repeated.
            CrmSearch search => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, $"/crm/v3/objects/{search.ObjectType}/search"), RetryMode.Idempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(search.Body.DeepClone()),
            },
            CrmUpdate update => new ProviderCall(HttpMethod.Patch, Endpoint(baseUrl, $"/crm/v3/objects/{update.ObjectType}/{Escape(update.RecordId)}"), RetryMode.Idempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(PropertiesBody(update.Properties)),
            },
            CrmGet get => new ProviderCall(HttpMethod.Get, Endpoint(baseUrl, $"/crm/v3/objects/{get.ObjectType}/{Escape(get.RecordId)}{Query(get.Properties)}"), RetryMode.Idempotent)
            {
                Authorization = auth,
            },
            _ => throw new ArgumentException($"not a hubspot action: {context.ActionType}", nameof(context)),
        };
    }

    private static JsonObject CreateBody(CrmCreate create)
    {
        var body = PropertiesBody(create.Properties);
        if (create.Associations is { } associations)
        {
            body["associations"] = associations.DeepClone();
        }

        return body;
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Get, Endpoint(options.HubSpotBaseUrl, "/crm/v3/objects/contacts?limit=1"), RetryMode.Idempotent)
        {
            Authorization = ProviderCall.Bearer(Require(credential, "accessToken")),
        };

    public override string VerifiedMessage(ProviderResponse response) => "hubspot accepted the token and can read contacts";

    /// <summary>HubSpot errors are <c>{"status": "error", "message", "category", "correlationId"}</c>.</summary>
    protected override ProviderFailure ParseError(ProviderResponse response) =>
        Generic(response,
            response.JsonString("category") ?? NonGenericStatus(response.JsonString("status")),
            response.JsonString("message"),
            response.JsonString("correlationId") ?? response.Header("X-HubSpot-Correlation-Id"));

    public override JsonNode Demo(CallContext context, DemoIds ids) => HubSpotDemo.Answer(context, ids);

    // Older HubSpot endpoints put a code in `status` (e.g. BAD_REFRESH_TOKEN); "error" itself says nothing.
    private static string? NonGenericStatus(string? status) => status is null or "error" ? null : status;

    private static JsonObject PropertiesBody(IReadOnlyDictionary<string, string?> properties)
    {
        var values = new JsonObject();
        foreach (var (name, value) in properties)
        {
            // HubSpot clears a property when it is set to the empty string.
            values[name] = value ?? "";
        }

        return new JsonObject { ["properties"] = values };
    }

    private static string Query(IReadOnlyList<string> properties) =>
        properties.Count == 0 ? "" : "?properties=" + string.Join(',', properties.Select(Escape));
}
