using MimeKit;

namespace Portcullis.Connectors.Gmail;

/// <summary>
/// A deliberately narrow check of a recipient: a bare address (<c>local@domain.tld</c>) or one mailbox with a
/// display name (<c>"Ana Pérez" &lt;ana@example.com&gt;</c>). The message is written from the parsed mailbox,
/// never from the agent's text, so nothing the agent sends can add recipients or headers.
/// </summary>
internal static class EmailAddress
{
    private static readonly ParserOptions Strict = CreateStrict();

    public static string? Problem(string text) => IsValid(text) || Named(text) is not null ? null : "must be an email address";

    /// <summary>The mailbox a valid recipient stands for.</summary>
    public static MailboxAddress Mailbox(string text) =>
        IsValid(text) ? new MailboxAddress("", text)
        : Named(text) ?? throw new ArgumentException("not a valid recipient", nameof(text));

    public static bool IsValid(string text)
    {
        if (text.Length is < 3 or > 254)
        {
            return false;
        }

        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at > 64)
        {
            return false;
        }

        var local = text.AsSpan(0, at);
        var domain = text.AsSpan(at + 1);
        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-/=?^_`{|}~.".Contains(c))
            {
                return false;
            }
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var labels = domain.ToString().Split('.');
        return labels.Length >= 2 && labels.All(IsDomainLabel);
    }

    /// <summary>One <c>name &lt;address&gt;</c> mailbox whose address passes <see cref="IsValid"/>, else null.</summary>
    private static MailboxAddress? Named(string text)
    {
        if (text.Length > 500 || text.Any(char.IsControl) || !text.TrimEnd().EndsWith('>')
            || !InternetAddressList.TryParse(Strict, text, out var list) || list.Count != 1)
        {
            return null;
        }

        return list[0] is MailboxAddress { Route.Count: 0 } mailbox && IsValid(mailbox.Address) && !string.IsNullOrWhiteSpace(mailbox.Name)
            ? new MailboxAddress(mailbox.Name.Trim(), mailbox.Address)
            : null;
    }

    private static bool IsDomainLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static ParserOptions CreateStrict()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return options;
    }
}
