using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Twilio;

internal sealed record SmsSend(string To, string Body, string? From, string? MessagingServiceSid, IReadOnlyList<string> MediaUrls);

/// <summary>Twilio SMS payload schema.</summary>
internal static class TwilioActions
{
    public const string SmsSendType = "sms.send";

    /// <summary>Twilio's limit on a message body.</summary>
    public const int MaxBodyLength = 1600;

    public static readonly ActionDescriptor[] Actions =
    [
        new(SmsSendType, "Send a text message.",
            new ObjectSchema()
                .Required("to", PhoneNumber("Recipient, e.g. `+14155550123`."))
                .Required("body", new StringSchema { MaxLength = MaxBodyLength, Description = "Message text." })
                .Optional("from", PhoneNumber("Sender; the credential's from number when absent (and no `messagingServiceSid`)."))
                // A Messaging Service picks the sender from its pool, so it replaces `from`.
                .Optional("messagingServiceSid", new StringSchema
                {
                    Check = s => IsSid(s, "MG") ? null : "must be a messaging service sid: `MG` followed by 32 hex digits",
                    Pattern = "^MG[0-9a-fA-F]{32}$",
                    Description = "Messaging Service (`MG…`) to send from instead of a number.",
                })
                .Rule(SchemaRule.NotBoth("from", "messagingServiceSid"))
                .Optional("mediaUrl", new ArraySchema(new StringSchema
                {
                    Check = u => IsWebUrl(u) ? null : "must be an http or https url",
                    Pattern = "^https?://[^\\s]+$",
                })
                {
                    NonEmpty = true,
                    MaxItems = 10,
                    Description = "Up to 10 media URLs Twilio fetches and sends as an MMS; `body` is the caption.",
                }),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new SmsSend(p.String("to")!, p.String("body")!, p.String("from"), p.String("messagingServiceSid"), p.Strings("mediaUrl"))),
    ];

    public static bool IsE164(string text) =>
        text.Length is >= 3 and <= 16 && text[0] == '+' && text[1] is >= '1' and <= '9' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    public static bool IsSid(string text, string prefix) =>
        text.Length == 34 && text.StartsWith(prefix, StringComparison.Ordinal) && text[2..].All(char.IsAsciiHexDigit);

    private static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !text.Any(char.IsWhiteSpace);

    private static StringSchema PhoneNumber(string description) => new()
    {
        Check = n => IsE164(n) ? null : "must be a phone number in e.164 format, e.g. `+14155550123`",
        Pattern = "^\\+[1-9][0-9]{1,14}$",
        Description = description,
    };
}
