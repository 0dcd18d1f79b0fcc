using System.Text.Json;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.Slack;

internal sealed record SlackPostMessage(string Channel, string? Text, JsonElement? Blocks, string? ThreadTs);

/// <summary>Slack payload schema.</summary>
internal static class SlackActions
{
    public const string PostMessageType = "slack.post_message";

    public static readonly ActionDefinition[] Definitions = [new(PostMessageType, ProviderNames.Slack, ParsePost)];

    private static ParsedPayload ParsePost(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["channel", "text", "blocks", "threadTs"]);
        var channel = v.String("channel", required: true, singleLine: true, maxLength: 200);
        var text = v.String("text", required: false, maxLength: 40000);
        JsonElement? blocks = null;
        if (v.TryGet("blocks", out var b))
        {
            // Slack documents at most 50 blocks per message, each an object with a `type`.
            if (b.ValueKind != JsonValueKind.Array || b.GetArrayLength() is 0 or > 50
                || b.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Object || !x.TryGetProperty("type", out _)))
            {
                v.Add("blocks", "must be an array of 1 to 50 block objects, each with a `type`");
            }
            else
            {
                blocks = b.Clone();
            }
        }

        if (v.IsObject && !v.Has("text") && !v.Has("blocks"))
        {
            v.Add("text", "one of `text` or `blocks` is required");
        }

        var threadTs = v.String("threadTs", required: false, singleLine: true, maxLength: 32);
        return ParsedPayload.From(v, () => new SlackPostMessage(channel!, text, blocks, threadTs));
    }
}
