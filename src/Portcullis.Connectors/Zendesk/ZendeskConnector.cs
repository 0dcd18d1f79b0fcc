using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Zendesk;

/// <summary>
/// Zendesk Support API on <c>https://{subdomain}.zendesk.com</c> with API-token basic auth
/// (<c>{email}/token:{apiToken}</c>). Updates and comments are one PUT on the ticket; a PUT that adds a
/// comment would add it twice if repeated, so only comment-free updates are retried.
/// </summary>
internal sealed class ZendeskConnector : ProviderConnector
{
    public override string Provider => ProviderNames.Zendesk;

    public override ProviderCall BuildCall(CallContext context)
    {
        var baseUrl = BaseUrl(context.Credential, context.Options);
        var auth = Auth(context.Credential);
        return context.Model switch
        {
            TicketGet get => new ProviderCall(HttpMethod.Get, TicketUrl(baseUrl, get.TicketId), RetryMode.Idempotent) { Authorization = auth },
            TicketUpdate update => new ProviderCall(HttpMethod.Put, TicketUrl(baseUrl, update.TicketId),
                update.Comment is null ? RetryMode.Idempotent : RetryMode.NotIdempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(UpdateBody(update)),
            },
            // A resend would open a second ticket.
            TicketCreate create => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, "/api/v2/tickets.json"), RetryMode.NotIdempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(CreateBody(create)),
            },
            TicketSearch search => new ProviderCall(HttpMethod.Get, Endpoint(baseUrl, "/api/v2/search.json" + SearchQuery(search)), RetryMode.Idempotent)
            {
                Authorization = auth,
            },
            _ => throw new ArgumentException($"not a zendesk action: {context.ActionType}", nameof(context)),
        };
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Get, Endpoint(BaseUrl(credential, options), "/api/v2/users/me.json"), RetryMode.Idempotent)
        {
            Authorization = Auth(credential),
        };

    // Zendesk answers users/me for anonymous callers too; only a real user id proves the token works.
    public override ProviderFailure? VerifyFailure(ProviderResponse response) =>
        Failure(response) ?? (response.JsonString("user", "id") is null
            ? new ProviderFailure("anonymous_user", "zendesk did not authenticate the credential", null)
            : null);

    public override string VerifiedMessage(ProviderResponse response) =>
        $"zendesk accepted the api token for {response.JsonString("user", "email") ?? "the agent"} ({response.JsonString("user", "role") ?? "unknown role"})";

    /// <summary>
    /// Zendesk errors come as <c>{"error": "RecordNotFound", "description": "…", "details": {…}}</c>,
    /// or <c>{"error": {"title", "message"}}</c>, or just <c>{"error": "Couldn't authenticate you"}</c>.
    /// </summary>
    protected override ProviderFailure ParseError(ProviderResponse response)
    {
        string? code = null;
        string? message = response.JsonString("description");
        if (response.Json?.TryGetProperty("error", out var error) == true)
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                var text = error.GetString()!;
                var looksLikeCode = text.Length > 0 && text.All(char.IsAsciiLetterOrDigit);
                code = looksLikeCode ? text : null;
                message ??= looksLikeCode ? null : text;
            }
            else if (error.ValueKind == JsonValueKind.Object)
            {
                code = response.JsonString("error", "title");
                message ??= response.JsonString("error", "message");
            }
        }

        if (FirstDetail(response) is { } detail)
        {
            message = message is null ? detail : $"{message}: {detail}";
        }

        return Generic(response, code, message, response.Header("X-Zendesk-Request-Id") ?? response.Header("X-Request-Id"));
    }

    public override JsonNode Demo(CallContext context, DemoIds ids) => ZendeskDemo.Answer(context, ids);

    private static string? FirstDetail(ProviderResponse response)
    {
        if (response.Json?.TryGetProperty("details", out var details) != true || details.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var field in details.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Array && field.Value.GetArrayLength() > 0
                && field.Value[0].ValueKind == JsonValueKind.Object && field.Value[0].TryGetProperty("description", out var d))
            {
                return d.GetString();
            }
        }

        return null;
    }

    internal static Uri BaseUrl(CredentialSecrets credential, ConnectorOptions options)
    {
        var subdomain = Require(credential, "subdomain").Trim().ToLowerInvariant();
        subdomain = subdomain.Replace("https://", "", StringComparison.Ordinal).TrimEnd('/');
        if (subdomain.EndsWith(".zendesk.com", StringComparison.Ordinal))
        {
            subdomain = subdomain[..^".zendesk.com".Length];
        }

        // SECURITY: the subdomain becomes part of a host name; anything but a DNS label could point the
        // API token at another host.
        if (subdomain.Length is 0 or > 63 || subdomain[0] == '-' || !subdomain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new CredentialFieldException("the zendesk credential's `subdomain` must be letters, digits and hyphens (e.g. `acme` for acme.zendesk.com)");
        }

        return new Uri(options.ZendeskBaseUrlTemplate.Replace("{subdomain}", subdomain, StringComparison.Ordinal));
    }

    private static System.Net.Http.Headers.AuthenticationHeaderValue Auth(CredentialSecrets credential) =>
        ProviderCall.Basic($"{Require(credential, "email")}/token", Require(credential, "apiToken"));

    private static Uri TicketUrl(Uri baseUrl, long id) => Endpoint(baseUrl, $"/api/v2/tickets/{id}.json");

    private static JsonObject CreateBody(TicketCreate create)
    {
        var ticket = (JsonObject)create.TicketFields.DeepClone();
        ticket["comment"] = new JsonObject { ["body"] = create.Comment.Body, ["public"] = create.Comment.Public };
        if (create.Requester is { } requester)
        {
            ticket["requester"] = requester.DeepClone();
        }

        return new JsonObject { ["ticket"] = ticket };
    }

    /// <summary>Zendesk's search covers users and organizations too; <c>type:ticket</c> keeps it to tickets.</summary>
    private static string SearchQuery(TicketSearch search)
    {
        var query = new List<string> { "query=" + Uri.EscapeDataString("type:ticket " + search.Query) };
        if (search.SortBy is { } sortBy)
        {
            query.Add("sort_by=" + sortBy);
        }

        if (search.SortOrder is { } sortOrder)
        {
            query.Add("sort_order=" + sortOrder);
        }

        if (search.Page is { } page)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (search.PerPage is { } perPage)
        {
            query.Add("per_page=" + perPage.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return "?" + string.Join('&', query);
    }

    private static JsonObject UpdateBody(TicketUpdate update)
    {
        var ticket = (JsonObject)update.TicketFields.DeepClone();
        if (update.Comment is { } comment)
        {
            ticket["comment"] = new JsonObject { ["body"] = comment.Body, ["public"] = comment.Public };
        }

        return new JsonObject { ["ticket"] = ticket };
    }
}
