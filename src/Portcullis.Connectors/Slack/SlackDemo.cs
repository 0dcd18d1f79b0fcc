using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors.Slack;

/// <summary>Simulated Slack Web API answers, shaped like chat.postMessage, chat.update and users.lookupByEmail.</summary>
internal static class SlackDemo
{
    public static JsonNode Answer(CallContext context, DemoIds ids) => context.Model switch
    {
        SlackPostMessage post => Posted(post, context, ids),
        SlackUpdateMessage update => Updated(update, ids),
        SlackLookupUser lookup => User(lookup, ids),
        _ => throw new ArgumentException("not a slack action", nameof(context)),
    };

    private static JsonObject Posted(SlackPostMessage post, CallContext context, DemoIds ids)
    {
        var ts = context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + ids.Digits("ts", 6);
        var channel = post.Channel.StartsWith('#') || post.Channel.Length < 9 ? "C" + ids.Alnum("channel", 10).ToUpperInvariant() : post.Channel;
        var message = Message(post.Text, post.Blocks, ts, ids);
        if (post.ThreadTs is not null)
        {
            message["thread_ts"] = post.ThreadTs;
        }

        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["message"] = message };
    }

    private static JsonObject Updated(SlackUpdateMessage update, DemoIds ids) => new()
    {
        ["ok"] = true,
        ["channel"] = update.Channel,
        ["ts"] = update.Ts,
        ["text"] = update.Text ?? "",
        ["message"] = Message(update.Text, update.Blocks, update.Ts, ids),
    };

    private static JsonObject Message(string? text, JsonElement? blocks, string ts, DemoIds ids)
    {
        var message = new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "bot_message",
            ["text"] = text ?? "",
            ["user"] = "U" + ids.Alnum("user", 10).ToUpperInvariant(),
            ["bot_id"] = "B" + ids.Alnum("bot", 10).ToUpperInvariant(),
            ["ts"] = ts,
        };
        if (blocks is { } given)
        {
            message["blocks"] = JsonNode.Parse(given.GetRawText());
        }

        return message;
    }

    private static JsonObject User(SlackLookupUser lookup, DemoIds ids)
    {
        var name = lookup.Email[..lookup.Email.IndexOf('@', StringComparison.Ordinal)];
        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject
            {
                ["id"] = "U" + ids.Alnum("member", 10).ToUpperInvariant(),
                ["team_id"] = "T" + ids.Alnum("team", 10).ToUpperInvariant(),
                ["name"] = name,
                ["real_name"] = "Demo " + name,
                ["deleted"] = false,
                ["is_bot"] = false,
                ["tz"] = "Europe/Berlin",
                ["profile"] = new JsonObject { ["email"] = lookup.Email, ["real_name"] = "Demo " + name, ["display_name"] = name },
            },
        };
    }
}
