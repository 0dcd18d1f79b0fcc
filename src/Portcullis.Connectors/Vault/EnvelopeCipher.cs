using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Connectors.Vault;

/// <summary>
/// Envelope encryption for credentials. Each secret gets a fresh random 256-bit data key that encrypts it
/// with AES-256-GCM; the data key is itself encrypted (wrapped) with AES-256-GCM under the current master
/// key. The credential id is associated data in both layers, so a sealed secret copied onto another
/// credential's row does not open. Rotating the master key only re-wraps data keys.
/// </summary>
public static class EnvelopeCipher
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Encrypts a secret for one credential under the ring's current master key.</summary>
    public static SealedSecret Seal(MasterKeyRing ring, string credentialId, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentException.ThrowIfNullOrEmpty(credentialId);
        var dataKey = RandomNumberGenerator.GetBytes(MasterKey.KeyLength);
        try
        {
            var ciphertext = Encrypt(dataKey, plaintext, DataAad(credentialId));
            var master = ring.Current;
            return new SealedSecret(master.Version, Encrypt(master.Key, dataKey, WrapAad(credentialId, master.Version)), ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Decrypts a sealed secret of one credential.</summary>
    /// <exception cref="VaultException">Tampered, sealed for another credential, or an unknown master key version.</exception>
    public static byte[] Open(MasterKeyRing ring, string credentialId, SealedSecret sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        ArgumentException.ThrowIfNullOrEmpty(credentialId);
        var dataKey = Unwrap(ring, credentialId, sealedSecret);
        try
        {
            return Decrypt(dataKey, sealedSecret.Ciphertext, DataAad(credentialId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Re-wraps the data key under the ring's current master key; the ciphertext is unchanged.</summary>
    /// <exception cref="VaultException">The sealed secret does not open.</exception>
    public static SealedSecret Rewrap(MasterKeyRing ring, string credentialId, SealedSecret s)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentException.ThrowIfNullOrEmpty(credentialId);
        var dataKey = Unwrap(ring, credentialId, s);
        try
        {
            // Decrypting once proves the pair still belongs together before the old version can be retired.
            CryptographicOperations.ZeroMemory(Decrypt(dataKey, s.Ciphertext, DataAad(credentialId)));
            var master = ring.Current;
            return s with { MasterKeyVersion = master.Version, WrappedDataKey = Encrypt(master.Key, dataKey, WrapAad(credentialId, master.Version)) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] Unwrap(MasterKeyRing ring, string credentialId, SealedSecret s)
    {
        if (!ring.TryGet(s.MasterKeyVersion, out var master))
        {
            throw new VaultException($"master key version {s.MasterKeyVersion} is not in the key ring");
        }

        return Decrypt(master.Key, s.WrappedDataKey, WrapAad(credentialId, s.MasterKeyVersion));
    }

    // Blob: format byte | nonce (96-bit, random) | ciphertext | tag (128-bit).
    private static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext, byte[] aad)
    {
        var blob = new byte[1 + NonceSize + plaintext.Length + TagSize];
        blob[0] = FormatVersion;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), aad);
        return blob;
    }

    private static byte[] Decrypt(byte[] key, byte[] blob, byte[] aad)
    {
        if (blob is null || blob.Length < 1 + NonceSize + TagSize || blob[0] != FormatVersion)
        {
            throw new VaultException("the sealed secret is malformed");
        }

        var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), plaintext, aad);
            return plaintext;
        }
        catch (CryptographicException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new VaultException("the sealed secret failed authentication: it was altered or belongs to another credential", e);
        }
    }

    // Distinct labels per layer, so a wrapped key can never be presented as a data ciphertext or vice versa.
    private static byte[] DataAad(string credentialId) => Encoding.UTF8.GetBytes($"portcullis/secret/v1\0{credentialId}");

    private static byte[] WrapAad(string credentialId, int version) =>
        Encoding.UTF8.GetBytes($"portcullis/data-key/v1\0{credentialId}\0{version.ToString(CultureInfo.InvariantCulture)}");
}
