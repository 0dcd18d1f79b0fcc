using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// The secret in a webhook trigger's URL (<c>/hooks/workflows/{id}/{token}</c>). Shown once, stored as its SHA-256: the
/// token is 238 random bits, so a slow password hash would add nothing but latency.
/// </summary>
public sealed class WebhookTokens
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewToken() => "whk_" + RandomNumberGenerator.GetString(Base62, 40);

    public static string Path(string workflowId, string token) => $"/hooks/workflows/{workflowId}/{token}";

    public string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time: the comparison's duration says nothing about how much of a guess was right.</summary>
    public bool Matches(string presented, string? storedHash) =>
        storedHash is not null && presented.Length <= 256
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
