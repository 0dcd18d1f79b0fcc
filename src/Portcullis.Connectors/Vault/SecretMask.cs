namespace Portcullis.Connectors.Vault;

/// <summary>Masked hints for showing which secret is stored without showing the secret.</summary>
public static class SecretMask
{
    private const string Hidden = "••••";

    /// <summary>
    /// <c>sk_test_abcdef…4242</c> → <c>sk_…4242</c>; <c>xoxb-…</c> → <c>xoxb-…wxyz</c>. Reveals at most a short
    /// type prefix (up to the first <c>_</c> or <c>-</c>, if within 5 characters) and the last 4 characters,
    /// and only for secrets of 16 characters or more; shorter ones show the last 2 (8 to 15 characters) or nothing.
    /// </summary>
    public static string Hint(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 8)
        {
            return Hidden;
        }

        if (secret.Length < 16)
        {
            return "…" + secret[^2..];
        }

        var separator = secret.AsSpan(0, 6).IndexOfAny('_', '-');
        var prefix = separator > 0 ? secret[..(separator + 1)] : "";
        return prefix + "…" + secret[^4..];
    }
}
