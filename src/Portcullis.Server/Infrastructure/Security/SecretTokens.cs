using System.Security.Cryptography;

namespace Portcullis.Server.Infrastructure.Security;

/// <summary>
/// Formats of the bearer secrets Portcullis issues. A recognisable prefix lets secret scanners find
/// leaked keys; the characters after it are random, and the first few form the public lookup id.
/// </summary>
public static class SecretTokens
{
    public const string AgentKeyPrefix = "pk_live_";
    public const string SessionPrefix = "pcs_";
    public const string AccessTokenPrefix = "pat_";

    /// <summary>What the MCP OAuth server issues: authorization codes, access tokens and refresh tokens.</summary>
    public const string McpCodePrefix = "pmc_";
    public const string McpAccessPrefix = "pma_";
    public const string McpRefreshPrefix = "pmr_";

    /// <summary>Length of the public lookup part of an agent key: <c>pk_live_</c> plus 8 random characters.</summary>
    public const int AgentKeyLookupLength = 16;

    /// <summary>Length of the public lookup part of a session or access token: its prefix plus 8 random characters.</summary>
    public const int TokenLookupLength = 12;
    private const int RandomChars = 40; // ≈ 238 bits of entropy
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewAgentKey() => AgentKeyPrefix + RandomString(RandomChars);

    public static string NewSessionToken() => SessionPrefix + RandomString(RandomChars);

    public static string NewAccessToken() => AccessTokenPrefix + RandomString(RandomChars);

    public static string New(string prefix) => prefix + RandomString(RandomChars);

    /// <summary>
    /// The public lookup id of a secret (stored in clear, indexed), or null when the text cannot be
    /// a secret of that kind.
    /// </summary>
    public static string? LookupOf(string? secret, string prefix, int lookupLength, int minLength = 24, int maxLength = 256)
    {
        if (secret is null || secret.Length < minLength || secret.Length > maxLength
            || !secret.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var c in secret)
        {
            if (c <= ' ' || c > '~')
            {
                return null;
            }
        }

        return secret[..lookupLength];
    }

    private static string RandomString(int length) => RandomNumberGenerator.GetString(Base62, length);
}
