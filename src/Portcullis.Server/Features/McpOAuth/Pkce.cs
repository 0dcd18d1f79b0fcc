using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>RFC 7636 PKCE with S256, the only method Portcullis accepts.</summary>
public static class Pkce
{
    /// <summary>A challenge is the base64url SHA-256 of a verifier: 43 characters.</summary>
    public static bool IsChallenge(string? challenge) => challenge is { Length: 43 } && challenge.All(IsUnreserved);

    public static bool Matches(string? verifier, string? challenge)
    {
        if (verifier is not { Length: >= 43 and <= 128 } || !verifier.All(IsUnreserved) || challenge is null)
        {
            return false;
        }

        var computed = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
