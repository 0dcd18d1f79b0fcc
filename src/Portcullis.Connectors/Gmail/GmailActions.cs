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
    string? InReplyTo,
    IReadOnlyList<string>? ReferenceIds = null)
{
    /// <summary>Message-IDs of the earlier messages in the thread, oldest first (In-Reply-To is appended).</summary>
    public IReadOnlyList<string> References => ReferenceIds ?? [];
}

/// <summary>Gmail payload schema.</summary>
internal static class GmailActions
{
    public const string EmailSendType = "email.send";

    // The narrow address check (see EmailAddress) is the rule; the pattern is its JSON Schema outline
    // (`format: email` would refuse the display-name form).
    private static readonly StringSchema Address = new()
    {
        AllowEmpty = true,
        Check = EmailAddress.Problem,
        Pattern = @"^(?:[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>""]+@[^\s@<>]+\.[^\s@<>]+)$",
        Description = "`ana@example.com` or `Ana Pérez <ana@example.com>`.",
    };

    private static StringSchema MessageId(string? description = null) => new()
    {
        SingleLine = true,
        MaxLength = 998,
        Check = id => id.Any(char.IsWhiteSpace) ? "must be a message id without spaces" : null,
        Pattern = @"^\S+$",
        Description = description,
    };

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
                .Optional("inReplyTo", MessageId("Message-ID of the message this one answers, e.g. `<abc@mail.example.com>`."))
                .Optional("references", new OneOrManySchema(MessageId()) { Description = "Message-IDs of the thread's earlier messages, oldest first; sent with In-Reply-To." }),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new EmailSend(p.Strings("to"), p.Strings("cc"), p.Strings("bcc"), p.String("subject")!,
                p.String("text"), p.String("html"), p.String("threadId"), p.String("inReplyTo"), p.Strings("references"))),
    ];
}
