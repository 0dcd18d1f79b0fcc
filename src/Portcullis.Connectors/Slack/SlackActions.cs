using System.Text.Json;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Slack;

internal sealed record SlackPostMessage(string Channel, string? Text, JsonElement? Blocks, string? ThreadTs);

/// <summary>Slack payload schema.</summary>
internal static class SlackActions
{
    public const string PostMessageType = "slack.post_message";

    public static readonly ActionDescriptor[] Actions =
    [
        new(PostMessageType, "Post a message to a channel, optionally in a thread.",
            new ObjectSchema()
                .Required("channel", new StringSchema { SingleLine = true, MaxLength = 200, Description = "Channel id (`C…`) or name (`#general`)." })
                .Optional("text", new StringSchema { MaxLength = 40000, Description = "Message text (mrkdwn); the notification text when blocks are given." })
                // Slack documents at most 50 blocks per message, each an object with a `type`.
                .Optional("blocks", new ArraySchema(new ObjectSchema { AllowOtherFields = true }.Required("type", new AnySchema()))
                {
                    NonEmpty = true,
                    MaxItems = 50,
                    Problem = "must be an array of 1 to 50 block objects, each with a `type`",
                    Description = "Block Kit blocks.",
                })
                .Rule(SchemaRule.AnyOf("text", "blocks"))
                .Optional("threadTs", new StringSchema { SingleLine = true, MaxLength = 32, Description = "`ts` of the parent message, to reply in its thread." }),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new SlackPostMessage(p.String("channel")!, p.String("text"), p.Element("blocks"), p.String("threadTs"))),
    ];
}
