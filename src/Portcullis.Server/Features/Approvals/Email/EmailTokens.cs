using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>
/// The secret in an approval email's link. SECURITY: 32 random bytes (base64url), so a plain SHA-256 is a safe lookup key:
/// only the hash is stored, and a database reader cannot rebuild a working link from it.
/// </summary>
public static class EmailTokens
{
    private const int MaxLength = 64;

    public static string New() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a path segment can be a token at all (checked before any lookup, so junk never reaches the store).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: > 0 and <= MaxLength } && token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');
}
