using System.Security.Cryptography;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Opaque, type-prefixed identifiers (<c>run_01jd…</c>): 48 bits of milliseconds then 80 random bits in
/// Crockford base32, so ids sort by creation time and cannot be guessed.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, TimeProvider? time = null)
    {
        var ms = (ulong)(time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        Span<char> text = stackalloc char[26];
        for (var i = 9; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }

        // 80 random bits → 16 characters of 5 bits.
        var bits = 0UL;
        var bitCount = 0;
        var pos = 10;
        foreach (var b in random)
        {
            bits = (bits << 8) | b;
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                text[pos++] = Alphabet[(int)((bits >> bitCount) & 31)];
            }
        }

        return string.Concat(prefix, "_", new string(text));
    }

    /// <summary>True when <paramref name="id"/> looks like an id of this type (cheap pre-check before a lookup).</summary>
    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 27 && id.StartsWith(prefix + "_", StringComparison.Ordinal);
}
