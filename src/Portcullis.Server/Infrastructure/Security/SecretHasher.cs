using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Infrastructure.Security;

/// <summary>
/// Hashes high-entropy secrets (agent keys, session and access tokens) as
/// HMAC-SHA256(pepper, salt ‖ secret). The secrets carry ≥ 200 random bits, so a fast keyed hash
/// is enough; the pepper lives outside the database, so a stolen database alone cannot even be
/// brute-forced.
/// </summary>
public sealed class SecretHasher(byte[] pepper)
{
    private static readonly byte[] DummySalt = RandomNumberGenerator.GetBytes(16);
    private static readonly byte[] DummyHash = RandomNumberGenerator.GetBytes(32);

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public byte[] Hash(string secret, byte[] salt)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var data = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(data, 0);
        secretBytes.CopyTo(data, salt.Length);
        return HMACSHA256.HashData(pepper, data);
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored salt and hash.</summary>
    public bool Verify(string secret, byte[] salt, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret, salt), expectedHash);

    /// <summary>
    /// Does the same work as a failed <see cref="Verify"/> so that an unknown key costs as much time
    /// as a wrong one.
    /// </summary>
    public void BurnEquivalentWork(string secret) => _ = Verify(secret, DummySalt, DummyHash);
}
