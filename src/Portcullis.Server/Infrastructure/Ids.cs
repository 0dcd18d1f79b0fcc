using System.Security.Cryptography;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Opaque, type-prefixed identifiers (<c>run_01jd…</c>): 48 bits of milliseconds then 80 random bits in
/// Crockford base32, so ids sort by creation time and cannot be guessed.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    // The last id's time and random part: ids made in the same millisecond count up from it, so a process's ids sort in
    // the order they were made (ULID's monotonic rule) and lists ordered by creation time and id never tie-break at random.
    private static readonly object Gate = new();
    private static ulong _lastMs;
    private static UInt128 _lastRandom;

    public static string New(string prefix, TimeProvider? time = null)
    {
        var now = (ulong)(time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> fresh = stackalloc byte[16];
        RandomNumberGenerator.Fill(fresh[6..]);
        var random = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(fresh); // 80 random bits
        ulong ms;
        lock (Gate)
        {
            // SECURITY: the step is itself random (1 to 2^40), so an id does not give away the next one.
            var step = 1 + (random >> 40);
            if (now != _lastMs || _lastRandom > MaxRandom - step)
            {
                (_lastMs, _lastRandom) = (now, random);
            }
            else
            {
                _lastRandom += step;
            }

            (ms, random) = (_lastMs, _lastRandom);
        }

        Span<char> text = stackalloc char[26];
        for (var i = 9; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }

        // 80 random bits → 16 characters of 5 bits, most significant first.
        for (var i = 25; i >= 10; i--)
        {
            text[i] = Alphabet[(int)(random & 31)];
            random >>= 5;
        }

        return string.Concat(prefix, "_", new string(text));
    }

    private static readonly UInt128 MaxRandom = (UInt128.One << 80) - 1;

    /// <summary>True when <paramref name="id"/> looks like an id of this type (cheap pre-check before a lookup).</summary>
    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 27 && id.StartsWith(prefix + "_", StringComparison.Ordinal);
}
