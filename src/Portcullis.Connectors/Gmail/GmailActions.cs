using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Gmail;

internal sealed record EmailSend(
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string Subject,
    string? Text,
    string? Html,
    string? ThreadId,
    string? InReplyTo);

/// <summary>Gmail payload schema.</summary>
internal static class GmailActions
{
    public const string EmailSendType = "email.send";

    // The narrow address check (see EmailAddress) is the rule; `format: email` is how JSON Schema says it.
    private static readonly StringSchema Address = new() { AllowEmpty = true, Check = EmailAddress.Problem, Format = "email" };

    public static readonly ActionDescriptor[] Actions =
    [
        // Not idempotent: Gmail has no idempotency key, and a message sent twice arrives twice.
        new(EmailSendType, "Send an email from the connected mailbox.",
            new ObjectSchema()
                .Required("to", new OneOrManySchema(Address) { NonEmpty = true, Description = "Recipient address, or a list of them." })
                .Optional("cc", new OneOrManySchema(Address))
                .Optional("bcc", new OneOrManySchema(Address))
                .Required("subject", new StringSchema { AllowEmpty = true, SingleLine = true, MaxLength = 998 })
                .Optional("text", new StringSchema { AllowEmpty = true, Description = "Plain-text body." })
                .Optional("html", new StringSchema { AllowEmpty = true, Description = "HTML body." })
                .Rule(SchemaRule.AnyOf("text", "html"))
                .Optional("threadId", new StringSchema { SingleLine = true, MaxLength = 200, Description = "Gmail thread to add the message to." })
                .Optional("inReplyTo", new StringSchema
                {
                    SingleLine = true,
                    MaxLength = 998,
                    Check = id => id.Any(char.IsWhiteSpace) ? "must be a message id without spaces" : null,
                    Pattern = @"^\S+$",
                    Description = "Message-ID of the message this one answers, e.g. `<abc@mail.example.com>`.",
                }),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new EmailSend(p.Strings("to"), p.Strings("cc"), p.Strings("bcc"), p.String("subject")!,
                p.String("text"), p.String("html"), p.String("threadId"), p.String("inReplyTo"))),
    ];
}
