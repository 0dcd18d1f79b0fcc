using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Twilio;

internal sealed record SmsSend(string To, string Body, string? From);

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
                .Optional("from", PhoneNumber("Sender; the credential's from number when absent.")),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new SmsSend(p.String("to")!, p.String("body")!, p.String("from"))),
    ];

    public static bool IsE164(string text) =>
        text.Length is >= 3 and <= 16 && text[0] == '+' && text[1] is >= '1' and <= '9' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static StringSchema PhoneNumber(string description) => new()
    {
        Check = n => IsE164(n) ? null : "must be a phone number in e.164 format, e.g. `+14155550123`",
        Pattern = "^\\+[1-9][0-9]{1,14}$",
        Description = description,
    };
}
