using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Endpoint metadata of the four spec endpoints, which take the agent key as <c>agentKey</c> in the JSON body
/// as well as in the header. Only on these does <see cref="AgentKeyHandler"/> look into the body.
/// </summary>
public sealed class AgentKeyInBody
{
    public static readonly AgentKeyInBody Instance = new();

    private AgentKeyInBody()
    {
    }
}

/// <summary>
/// The JSON body of an agent request, read at most once per request: by <see cref="AgentKeyHandler"/> when the
/// key may be in it, otherwise by <see cref="AgentJsonBodyFilter"/>. The document lives as long as the request.
/// </summary>
public sealed class AgentJsonBody
{
    private AgentJsonBody(JsonBody.Result result) => Result = result;

    public JsonBody.Result Result { get; }

    public static async ValueTask<JsonBody.Result> ReadOnceAsync(HttpContext http, long maxBytes)
    {
        if (http.Features.Get<AgentJsonBody>() is { } read)
        {
            return read.Result;
        }

        var result = await JsonBody.ReadAsync(http.Request, maxBytes, http.RequestAborted);
        if (result.Document is { } document)
        {
            http.Response.RegisterForDispose(document);
        }

        http.Features.Set(new AgentJsonBody(result));
        return result;
    }

    /// <summary>The agent key in a body, if the body is a JSON object with a string <c>agentKey</c>.</summary>
    public static string? KeyIn(JsonBody.Result body) =>
        body.Document is { } document && document.RootElement.TryGetProperty("agentKey", out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString()
            : null;
}

/// <summary>
/// Answers a body that is too large, empty or not a JSON object with its problem; runs after the billing lock so
/// the order of refusals stays 401, 429, 402, then the body's 413/400.
/// </summary>
public sealed class AgentJsonBodyFilter(IOptions<LimitsOptions> limits) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var body = await AgentJsonBody.ReadOnceAsync(context.HttpContext, limits.Value.MaxBodyBytes);
        return body.Problem ?? await next(context);
    }
}

public static class AgentJsonBodyAccess
{
    /// <summary>
    /// The parsed JSON object of a request to an endpoint mapped with <c>AcceptsAgentJson</c>; its filter has already
    /// answered a missing, oversized or malformed body, so here it is always an object.
    /// </summary>
    public static JsonElement GetAgentBody(this HttpContext http) =>
        http.Features.Get<AgentJsonBody>()?.Result.Document?.RootElement
        ?? throw new InvalidOperationException("the endpoint was not mapped with AcceptsAgentJson");
}
