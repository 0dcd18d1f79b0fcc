using System.Globalization;
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
        ["missing_scope"] = "the bot token lacks the `chat:write` scope",
        ["invalid_auth"] = "the bot token is not valid",
        ["not_authed"] = "no bot token was accepted",
        ["token_revoked"] = "the bot token has been revoked",
        ["account_inactive"] = "the bot's workspace or user is deactivated",
        ["ratelimited"] = "slack is rate limiting this app",
    };

    public override string Provider => ProviderNames.Slack;

    public override ProviderCall BuildCall(CallContext context)
    {
        if (context.Model is not SlackPostMessage post)
        {
            throw new ArgumentException($"not a slack action: {context.ActionType}", nameof(context));
        }

        var body = new JsonObject { ["channel"] = post.Channel };
        if (post.Text is not null)
        {
            body["text"] = post.Text;
        }

        if (post.Blocks is { } blocks)
        {
            body["blocks"] = JsonNode.Parse(blocks.GetRawText());
        }

        if (post.ThreadTs is not null)
        {
            body["thread_ts"] = post.ThreadTs;
        }

        return new ProviderCall(HttpMethod.Post, Endpoint(context.Options.SlackBaseUrl, "/api/chat.postMessage"), RetryMode.NotIdempotent)
        {
            Authorization = ProviderCall.Bearer(Require(context.Credential, "botToken")),
            Body = ProviderBody.Json(body),
        };
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

    public override JsonNode Demo(CallContext context, DemoIds ids)
    {
        var post = (SlackPostMessage)context.Model;
        var ts = context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + ids.Digits("ts", 6);
        var channel = post.Channel.StartsWith('#') || post.Channel.Length < 9 ? "C" + ids.Alnum("channel", 10).ToUpperInvariant() : post.Channel;
        var message = new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "bot_message",
            ["text"] = post.Text ?? "",
            ["user"] = "U" + ids.Alnum("user", 10).ToUpperInvariant(),
            ["bot_id"] = "B" + ids.Alnum("bot", 10).ToUpperInvariant(),
            ["ts"] = ts,
        };
        if (post.ThreadTs is not null)
        {
            message["thread_ts"] = post.ThreadTs;
        }

        if (post.Blocks is { } blocks)
        {
            message["blocks"] = JsonNode.Parse(blocks.GetRawText());
        }

        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["message"] = message };
    }
}
