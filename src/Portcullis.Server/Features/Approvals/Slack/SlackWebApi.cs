using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// The few Slack Web API methods approvals use (<c>auth.test</c>, <c>chat.postMessage</c>, <c>chat.update</c>) and the
/// ephemeral answer through an interaction's <c>response_url</c>. JSON bodies with the bot token as a Bearer header, as
/// Slack documents them. Errors name the Slack error code or the HTTP status, never the token.
/// </summary>
public sealed class SlackWebApi(HttpClient client, OutboundGuard guard, IOptions<SlackOptions> options)
{
    /// <summary>A Web API answer: <c>ok</c>, Slack's <c>error</c> code, the body, and whether the call surely did not happen.</summary>
    public sealed record Answer(bool Ok, string? Error, JsonNode? Body, bool NotSent = false)
    {
        public string? Text(string name) => Body?[name]?.GetValue<string>();
    }

    public Task<Answer> AuthTestAsync(string botToken, CancellationToken ct) => CallAsync("auth.test", botToken, new JsonObject(), ct);

    public Task<Answer> PostMessageAsync(string botToken, JsonObject message, CancellationToken ct) => CallAsync("chat.postMessage", botToken, message, ct);

    public Task<Answer> UpdateAsync(string botToken, JsonObject message, CancellationToken ct) => CallAsync("chat.update", botToken, message, ct);

    /// <summary>Posts to an interaction's <c>response_url</c> (checked by the outbound guard: it comes from a request).</summary>
    public async Task<bool> RespondAsync(string responseUrl, JsonObject message, CancellationToken ct)
    {
        if (await guard.ProblemAsync(responseUrl, OutboundUrlRules.Endpoint, ct) is not null)
        {
            return false;
        }

        var answer = await SendAsync(new Uri(responseUrl), null, message, ct);
        return answer.Ok || answer.Error is null;
    }

    private Task<Answer> CallAsync(string method, string botToken, JsonObject body, CancellationToken ct) =>
        SendAsync(new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + "/" + method), botToken, body, ct);

    private async Task<Answer> SendAsync(Uri url, string? botToken, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (botToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", botToken);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await client.SendAsync(request, attempt.Token);
            var text = await response.Content.ReadAsStringAsync(attempt.Token);
            if (!response.IsSuccessStatusCode)
            {
                // Slack answers 429 (rate limited) before doing anything; other statuses say nothing either way.
                return new(false, $"slack answered {(int)response.StatusCode}", null, NotSent: (int)response.StatusCode == 429);
            }

            var json = ParseOrNull(text);
            var ok = json?["ok"]?.GetValueKind() == JsonValueKind.True;
            // A JSON ok:false is an answer: Slack refused the call, nothing was posted.
            return ok ? new(true, null, json) : new(false, json?["error"]?.ToString() ?? (json is null ? "not json" : "not ok"), json, NotSent: json is not null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(false, "no answer in time", null);
        }
        catch (HttpRequestException ex)
        {
            // The category only: the message can carry the host. A refused connection never reached Slack.
            return new(false, $"the request failed ({ex.HttpRequestError})", null, NotSent: ex.HttpRequestError == HttpRequestError.ConnectionError);
        }
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
