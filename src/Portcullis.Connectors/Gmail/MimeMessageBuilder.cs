using System.Globalization;
using System.Text;

namespace Portcullis.Connectors.Gmail;

/// <summary>
/// Writes an RFC 5322 message with MIME bodies for Gmail's <c>raw</c> field (no MimeKit on the mirror).
/// Bodies are UTF-8 in base64 (no line-length or 8-bit worries); non-ASCII or long subjects become
/// RFC 2047 encoded-words; text plus html becomes multipart/alternative. Gmail removes the Bcc header
/// when it delivers, after reading the recipients from it.
/// </summary>
internal static class MimeMessageBuilder
{
    private const string Crlf = "\r\n";

    // An encoded-word may be 75 characters; 45 bytes of UTF-8 make 60 of base64 plus 12 of framing.
    private const int MaxEncodedWordBytes = 45;

    public static byte[] Build(EmailSend email, DateTimeOffset date, string boundary)
    {
        var message = new StringBuilder();
        Header(message, "Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(message, "To", AddressList(email.To));
        if (email.Cc.Count > 0)
        {
            Header(message, "Cc", AddressList(email.Cc));
        }

        if (email.Bcc.Count > 0)
        {
            Header(message, "Bcc", AddressList(email.Bcc));
        }

        Header(message, "Subject", EncodeText(email.Subject, "Subject: ".Length));
        if (email.InReplyTo is { } inReplyTo)
        {
            // Gmail threads a reply when threadId, In-Reply-To/References and the subject agree.
            var id = inReplyTo.StartsWith('<') ? inReplyTo : $"<{inReplyTo}>";
            Header(message, "In-Reply-To", id);
            Header(message, "References", id);
        }

        Header(message, "MIME-Version", "1.0");
        if (email.Text is { } text && email.Html is { } html)
        {
            Header(message, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
            message.Append(Crlf);
            Part(message, boundary, "text/plain", text);
            Part(message, boundary, "text/html", html);
            message.Append("--").Append(boundary).Append("--").Append(Crlf);
        }
        else
        {
            var (type, body) = email.Text is not null ? ("text/plain", email.Text) : ("text/html", email.Html!);
            Header(message, "Content-Type", $"{type}; charset=\"UTF-8\"");
            Header(message, "Content-Transfer-Encoding", "base64");
            message.Append(Crlf).Append(Base64Lines(body));
        }

        return Encoding.ASCII.GetBytes(message.ToString());
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
        foreach (var rune in text.EnumerateRunes())
        {
            // INVARIANT: a chunk never splits a character, so every encoded-word decodes on its own.
            if (chunkBytes + rune.Utf8SequenceLength > MaxEncodedWordBytes)
            {
                words.Add(EncodedWord(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
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

    private static string EncodedWord(string text) => $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";

    private static string AddressList(IReadOnlyList<string> addresses) => string.Join("," + Crlf + " ", addresses);

    private static void Header(StringBuilder message, string name, string value) =>
        message.Append(name).Append(": ").Append(value).Append(Crlf);

    private static void Part(StringBuilder message, string boundary, string type, string body)
    {
        message.Append("--").Append(boundary).Append(Crlf);
        Header(message, "Content-Type", $"{type}; charset=\"UTF-8\"");
        Header(message, "Content-Transfer-Encoding", "base64");
        message.Append(Crlf).Append(Base64Lines(body));
    }

    private static string Base64Lines(string body)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body), Base64FormattingOptions.InsertLineBreaks);
        return encoded.Length == 0 ? "" : encoded + Crlf;
    }
}
