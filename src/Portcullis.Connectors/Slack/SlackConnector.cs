using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Slack;

/// <summary>
/// Slack Web API <c>chat.postMessage</c> with the bot token as Bearer and a JSON body. Slack reports most
/// failures as HTTP 200 with <c>{"ok": false, "error": "…"}</c>, so success is decided by <c>ok</c>.
/// </summary>
internal sealed class SlackConnector : ProviderConnector
{
    private static readonly Dictionary<string, string> Explanations = new(StringComparer.Ordinal)
    {
        ["channel_not_found"] = "the channel does not exist or the bot cannot see it",
        ["not_in_channel"] = "the bot is not a member of the channel",
        ["is_archived"] = "the channel is archived",
        ["msg_too_long"] = "the message text is too long",
        ["no_text"] = "the message has no text",
        ["invalid_blocks"] = "the blocks are not valid block kit",
        ["missing_scope"] = "the bot token lacks the scope this method needs (`chat:write`; `users:read.email` to look users up)",
        ["message_not_found"] = "no message with that `ts` in the channel",
        ["cant_update_message"] = "the bot may only update its own messages",
        ["edit_window_closed"] = "the message is too old to be edited",
        ["users_not_found"] = "no member of the workspace has that email address",
        ["invalid_auth"] = "the bot token is not valid",
        ["not_authed"] = "no bot token was accepted",
        ["token_revoked"] = "the bot token has been revoked",
        ["account_inactive"] = "the bot's workspace or user is deactivated",
        ["ratelimited"] = "slack is rate limiting this app",
    };

    public override string Provider => ProviderNames.Slack;

    public override ProviderCall BuildCall(CallContext context)
    {
        var auth = ProviderCall.Bearer(Require(context.Credential, "botToken"));
        var baseUrl = context.Options.SlackBaseUrl;
        return context.Model switch
        {
            SlackPostMessage post => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, "/api/chat.postMessage"), RetryMode.NotIdempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(MessageBody(post.Channel, null, post.Text, post.Blocks, post.ThreadTs)),
            },
            SlackUpdateMessage update => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, "/api/chat.update"), RetryMode.Idempotent)
            {
                Authorization = auth,
                Body = ProviderBody.Json(MessageBody(update.Channel, update.Ts, update.Text, update.Blocks, null)),
            },
            // users.lookupByEmail is a read; Slack prefers GET with the argument in the query.
            SlackLookupUser lookup => new ProviderCall(HttpMethod.Get, Endpoint(baseUrl, "/api/users.lookupByEmail?email=" + Uri.EscapeDataString(lookup.Email)), RetryMode.Idempotent)
            {
                Authorization = auth,
            },
            _ => throw new ArgumentException($"not a slack action: {context.ActionType}", nameof(context)),
        };
    }

    private static JsonObject MessageBody(string channel, string? ts, string? text, JsonElement? blocks, string? threadTs)
    {
        var body = new JsonObject { ["channel"] = channel };
        if (ts is not null)
        {
            body["ts"] = ts;
        }

        if (text is not null)
        {
            body["text"] = text;
        }

        if (blocks is { } given)
        {
            body["blocks"] = JsonNode.Parse(given.GetRawText());
        }

        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        return body;
    }

    // auth.test only reads, so it may be repeated.
    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Post, Endpoint(options.SlackBaseUrl, "/api/auth.test"), RetryMode.Idempotent)
        {
            Authorization = ProviderCall.Bearer(Require(credential, "botToken")),
        };

    public override ProviderFailure? Failure(ProviderResponse response) =>
        response.IsSuccess && response.Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            ? null
            : ParseError(response);

    public override string VerifiedMessage(ProviderResponse response) =>
        $"slack accepted the bot token for {response.JsonString("user") ?? "the bot"} in {response.JsonString("team") ?? "the workspace"}";

    protected override ProviderFailure ParseError(ProviderResponse response)
    {
        var code = response.JsonString("error");
        var message = code is null ? null
            : Explanations.TryGetValue(code, out var explanation) ? $"slack answered `{code}`: {explanation}"
            : $"slack answered `{code}`";
        if (code is null && response.IsSuccess)
        {
            code = ConnectorErrorCodes.InvalidResponse;
            message = "slack answered without `ok: true`";
        }

        return Generic(response, code, message, response.Header("X-Slack-Req-Id"));
    }

    public override JsonNode Demo(CallContext context, DemoIds ids) => SlackDemo.Answer(context, ids);
}
