namespace Portcullis.Connectors.Gmail;

/// <summary>
/// A deliberately narrow check of a bare address (<c>local@domain.tld</c>): anything it accepts can be
/// written into a header verbatim, so nothing the agent sends can add recipients or headers.
/// </summary>
internal static class EmailAddress
{
    public static string? Problem(string text) => IsValid(text) ? null : "must be an email address";

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

    private static bool IsDomainLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
