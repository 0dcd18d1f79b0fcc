using System.Text;
using MimeKit;

namespace Portcullis.Connectors.Gmail;

/// <summary>
/// Builds the RFC 5322 message for Gmail's <c>raw</c> field with MimeKit: addresses (display names encoded
/// per RFC 2047 by MimeKit), reply headers, UTF-8 bodies in base64, text plus html as multipart/alternative.
/// No From or Message-ID: Gmail sets both for the authenticated mailbox. Gmail removes the Bcc header when
/// it delivers, after reading the recipients from it.
/// </summary>
internal static class MimeMessageBuilder
{
    private const string Crlf = "\r\n";

    // RFC 2047 §2: a line holding encoded-words is at most 76 characters; 12 are the =?UTF-8?B?…?= framing.
    private const int MaxEncodedLine = 76;
    private const int Framing = 12;

    private static readonly FormatOptions Format = CreateFormat();

    public static byte[] Build(EmailSend email, DateTimeOffset date, string boundary)
    {
        var message = new MimeMessage();
        message.Headers.Remove(HeaderId.From);
        message.Headers.Remove(HeaderId.MessageId);
        message.Date = date.ToUniversalTime();
        message.To.AddRange(email.To.Select(EmailAddress.Mailbox));
        message.Cc.AddRange(email.Cc.Select(EmailAddress.Mailbox));
        message.Bcc.AddRange(email.Bcc.Select(EmailAddress.Mailbox));
        // Our own encoder keeps the subject's encoded-words within RFC 2047's line limit from the first line on.
        var subject = new Header(HeaderId.Subject, "");
        subject.SetRawValue(Encoding.ASCII.GetBytes(" " + EncodeText(email.Subject, "Subject: ".Length) + Crlf));
        message.Headers.Replace(subject);
        if (email.InReplyTo is { } inReplyTo)
        {
            // Gmail threads a reply when threadId, In-Reply-To/References and the subject agree (RFC 5322 §3.6.4).
            var id = MessageId(inReplyTo);
            message.Headers.Add(HeaderId.InReplyTo, id);
            message.Headers.Add(HeaderId.References, string.Join(' ', email.References.Select(MessageId).Append(id).Distinct()));
        }

        message.MimeVersion = new Version(1, 0);
        message.Body = Body(email, boundary);
        using var stream = new MemoryStream();
        message.WriteTo(Format, stream);
        return stream.ToArray();
    }

    /// <summary>Plain ASCII that fits on one line stays as is; anything else becomes encoded-words.</summary>
    internal static string EncodeText(string text, int prefixLength)
    {
        if (text.All(c => c is >= ' ' and <= '~') && prefixLength + text.Length <= 78)
        {
            return text;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        var limit = MaxBytes(prefixLength);
        foreach (var rune in text.EnumerateRunes())
        {
            // INVARIANT: a chunk never splits a character, so every encoded-word decodes on its own.
            if (chunkBytes + rune.Utf8SequenceLength > limit)
            {
                words.Add(EncodedWord(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
                limit = MaxBytes(1);
            }

            chunk.Append(rune.ToString());
            chunkBytes += rune.Utf8SequenceLength;
        }

        if (chunk.Length > 0 || words.Count == 0)
        {
            words.Add(EncodedWord(chunk.ToString()));
        }

        // Folding white space between adjacent encoded-words is dropped by decoders (RFC 2047 §6.2).
        return string.Join(Crlf + " ", words);
    }

    /// <summary>The UTF-8 bytes whose base64 fits one line after <paramref name="prefixLength"/> characters.</summary>
    private static int MaxBytes(int prefixLength) => Math.Max(3, (MaxEncodedLine - prefixLength - Framing) / 4 * 3);

    private static string EncodedWord(string text) => $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";

    private static string MessageId(string id) => id.StartsWith('<') ? id : $"<{id}>";

    private static MimeEntity Body(EmailSend email, string boundary)
    {
        if (email.Text is { } text && email.Html is { } html)
        {
            var alternative = new MultipartAlternative { Part("plain", text), Part("html", html) };
            alternative.Boundary = boundary;
            Quote(alternative.ContentType);
            return alternative;
        }

        return email.Text is not null ? Part("plain", email.Text) : Part("html", email.Html!);
    }

    private static TextPart Part(string subtype, string body)
    {
        // base64 keeps bodies free of line-length and 8-bit worries on every relay.
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.Base64 };
        part.SetText(Encoding.UTF8, body);
        part.ContentType.Charset = "UTF-8";
        Quote(part.ContentType);
        return part;
    }

    private static void Quote(ContentType type)
    {
        foreach (var parameter in type.Parameters)
        {
            parameter.AlwaysQuote = true;
        }
    }

    private static FormatOptions CreateFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = false;
        return options;
    }
}
