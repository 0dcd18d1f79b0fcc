using System.Text.Json;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Slack;

internal sealed record SlackPostMessage(string Channel, string? Text, JsonElement? Blocks, string? ThreadTs);

internal sealed record SlackUpdateMessage(string Channel, string Ts, string? Text, JsonElement? Blocks);

internal sealed record SlackLookupUser(string Email);

/// <summary>Slack payload schema.</summary>
internal static class SlackActions
{
    public const string PostMessageType = "slack.post_message";
    public const string UpdateMessageType = "slack.update_message";
    public const string LookupUserType = "slack.lookup_user_by_email";

    private static readonly StringSchema Text = new() { MaxLength = 40000, Description = "Message text (mrkdwn); the notification text when blocks are given." };

    // Slack documents at most 50 blocks per message, each an object with a `type`.
    private static readonly ArraySchema Blocks = new(new ObjectSchema { AllowOtherFields = true }.Required("type", new AnySchema()))
    {
        NonEmpty = true,
        MaxItems = 50,
        Problem = "must be an array of 1 to 50 block objects, each with a `type`",
        Description = "Block Kit blocks.",
    };

    public static readonly ActionDescriptor[] Actions =
    [
        new(PostMessageType, "Post a message to a channel, optionally in a thread.",
            new ObjectSchema()
                .Required("channel", new StringSchema { SingleLine = true, MaxLength = 200, Description = "Channel id (`C…`) or name (`#general`)." })
                .Optional("text", Text)
                .Optional("blocks", Blocks)
                .Rule(SchemaRule.AnyOf("text", "blocks"))
                .Optional("threadTs", new StringSchema { SingleLine = true, MaxLength = 32, Description = "`ts` of the parent message, to reply in its thread." }),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new SlackPostMessage(p.String("channel")!, p.String("text"), p.Element("blocks"), p.String("threadTs"))),
        // chat.update replaces the text and blocks; sending the same update twice leaves the message as once.
        new(UpdateMessageType, "Replace the text and/or blocks of a message the bot posted.",
            new ObjectSchema()
                .Required("channel", new StringSchema { SingleLine = true, MaxLength = 200, Description = "Channel id (`C…`) of the message: chat.update takes no channel names." })
                .Required("ts", new StringSchema { SingleLine = true, MaxLength = 32, Description = "`ts` of the message to update." })
                .Optional("text", Text)
                .Optional("blocks", Blocks)
                .Rule(SchemaRule.AnyOf("text", "blocks")),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: true),
            p => new SlackUpdateMessage(p.String("channel")!, p.String("ts")!, p.String("text"), p.Element("blocks"))),
        new(LookupUserType, "Find a workspace member by email address.",
            new ObjectSchema().Required("email", new StringSchema
            {
                SingleLine = true,
                MaxLength = 254,
                Check = CredentialFormats.Email,
                Pattern = @"^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$",
                Description = "The member's email address (needs the `users:read.email` scope).",
            }),
            ActionHints.Read,
            p => new SlackLookupUser(p.String("email")!)),
    ];
}
