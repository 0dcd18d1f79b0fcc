using System.Text.Json;
using Portcullis.Connectors.Validation;

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

    public static readonly ActionDefinition[] Definitions = [new(EmailSendType, ProviderNames.Gmail, ParseSend)];

    private static ParsedPayload ParseSend(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["to", "cc", "bcc", "subject", "text", "html", "threadId", "inReplyTo"]);
        var to = v.StringOrStringArray("to", required: true, EmailAddress.Problem);
        var cc = v.StringOrStringArray("cc", required: false, EmailAddress.Problem);
        var bcc = v.StringOrStringArray("bcc", required: false, EmailAddress.Problem);
        var subject = v.String("subject", required: true, allowEmpty: true, singleLine: true, maxLength: 998);
        var text = v.String("text", required: false, allowEmpty: true);
        var html = v.String("html", required: false, allowEmpty: true);
        if (v.IsObject && !v.Has("text") && !v.Has("html"))
        {
            v.Add("text", "one of `text` or `html` is required");
        }

        var threadId = v.String("threadId", required: false, singleLine: true, maxLength: 200);
        var inReplyTo = v.String("inReplyTo", required: false, singleLine: true, maxLength: 998);
        if (inReplyTo is not null && inReplyTo.Any(char.IsWhiteSpace))
        {
            v.Add("inReplyTo", "must be a message id without spaces");
        }

        return ParsedPayload.From(v, () => new EmailSend(to!, cc ?? [], bcc ?? [], subject!, text, html, threadId, inReplyTo));
    }
}
