using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Credentials;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// The secret in a webhook trigger's URL (<c>/hooks/workflows/{id}/{token}</c>). Shown once, stored as its SHA-256: the
/// token is 238 random bits, so a slow password hash would add nothing but latency.
/// </summary>
public sealed class WebhookTokens(CredentialVault vault)
{
    /// <summary>The header a signed webhook's caller sends: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>.</summary>
    public const string SignatureHeader = "X-Portcullis-Signature";

    /// <summary>How far a signature's timestamp may be from now: older ones are replays.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string SecretField = "secret";

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewToken() => "whk_" + RandomNumberGenerator.GetString(Base62, 40);

    public static string NewSigningSecret() => "whsec_" + RandomNumberGenerator.GetString(Base62, 40);

    /// <summary>The signing secret is needed in clear to check signatures, so it is sealed by the vault, not hashed.</summary>
    public string Seal(string workflowId, string secret) =>
        vault.Seal(workflowId, new Dictionary<string, string> { [SecretField] = secret }).ToCompactString();

    /// <summary>
    /// Checks <c>t=…,v1=…</c> against HMAC-SHA256(secret, "{t}.{body}") in constant time, and that <c>t</c> is within
    /// <see cref="Tolerance"/> of <paramref name="now"/>. Like Stripe's scheme, so existing sender code carries over.
    /// </summary>
    public bool SignatureMatches(string workflowId, string sealedSecret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (header is null || !TryParse(header, out var timestamp, out var signature)
            || (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > Tolerance)
        {
            return false;
        }

        var secret = vault.Open(workflowId, SealedSecret.Parse(sealedSecret))[SecretField];
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(body.ToArray()).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    private static bool TryParse(string header, out long timestamp, out byte[] signature)
    {
        timestamp = 0;
        signature = [];
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                _ = long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && part.Length == 3 + 64)
            {
                try
                {
                    signature = Convert.FromHexString(part.AsSpan(3));
                }
                catch (FormatException)
                {
                    return false;
                }
            }
        }

        return timestamp > 0 && signature.Length == 32;
    }

    public static string Path(string workflowId, string token) => $"/hooks/workflows/{workflowId}/{token}";

    public string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time: the comparison's duration says nothing about how much of a guess was right.</summary>
    public bool Matches(string presented, string? storedHash) =>
        storedHash is not null && presented.Length <= 256
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
