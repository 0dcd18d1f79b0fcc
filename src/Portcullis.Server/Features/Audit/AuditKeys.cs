using Microsoft.Extensions.Options;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Security;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// The audit chain's key ring (HMAC keys, versioned and rotated like the vault's master keys, in the same file format)
/// and the Ed25519 key that signs checkpoints. A ring from a file is read again when its file changes, so a rotation by
/// the CLI or another instance needs no restart; old versions stay so older entries still verify.
/// </summary>
public sealed class AuditKeys
{
    private readonly string? _chainFile;
    private readonly byte[] _seed;
    private MasterKeyRing _ring;
    private DateTime _ringWritten;

    public AuditKeys(IOptions<AuditOptions> options, IOptions<PortcullisOptions> root)
    {
        var audit = options.Value;
        var keys = Path.Combine(root.Value.DataDirectory, "keys");
        if (!string.IsNullOrWhiteSpace(audit.ChainKey))
        {
            _ring = MasterKeyRing.FromBase64(audit.ChainKey.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            _chainFile = Path.Combine(keys, "audit-chain.json");
            Directory.CreateDirectory(keys);
            _ring = MasterKeyRing.LoadOrCreateKeyFile(_chainFile);
            _ringWritten = File.GetLastWriteTimeUtc(_chainFile);
        }

        _seed = !string.IsNullOrWhiteSpace(audit.SigningKey)
            ? Convert.FromBase64String(audit.SigningKey)
            : KeyFiles.LoadOrCreate(Path.Combine(keys, "audit-signing.key"));
        if (_seed.Length != Ed25519.SecretKeySize)
        {
            throw new InvalidOperationException("the audit signing key must be a 32-byte Ed25519 seed (base64)");
        }

        PublicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(_seed, 0, PublicKey, 0);
        PublicKeyId = PublicKeyIdOf(PublicKey);
    }

    /// <summary>The checkpoint verification key (raw 32-byte Ed25519).</summary>
    public byte[] PublicKey { get; }

    /// <summary>A short, stable name of <see cref="PublicKey"/>: the first 8 bytes of its SHA-256, in hex.</summary>
    public string PublicKeyId { get; }

    public static string PublicKeyIdOf(byte[] publicKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey).AsSpan(0, 8));

    /// <summary>The chain key new entries are MACed with.</summary>
    public MasterKey Current => Ring().Current;

    /// <summary>A chain key version, or null when no ring this process can read holds it.</summary>
    public byte[]? ChainKey(int version) => Ring().TryGet(version, out var key) ? key.Key : null;

    /// <summary>Adds a new chain key version to the key file and makes it current; returns it.</summary>
    public int Rotate()
    {
        if (_chainFile is null)
        {
            throw new InvalidOperationException(
                "the audit chain key comes from configuration: add the new key as `2:base64` to Portcullis:Audit:ChainKey, keeping the old one");
        }

        var rotated = MasterKeyRing.Load(_chainFile).Rotate();
        rotated.Save(_chainFile);
        return rotated.Current.Version;
    }

    public byte[] Sign(byte[] message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, message, 0, message.Length, signature, 0);
        return signature;
    }

    public static bool Verify(byte[] publicKey, byte[] message, byte[] signature) =>
        publicKey.Length == Ed25519.PublicKeySize && signature.Length == Ed25519.SignatureSize
        && Ed25519.Verify(signature, 0, publicKey, 0, message, 0, message.Length);

    private MasterKeyRing Ring()
    {
        if (_chainFile is not null && File.GetLastWriteTimeUtc(_chainFile) != _ringWritten)
        {
            // Rotated by the CLI or another instance sharing the data directory.
            _ringWritten = File.GetLastWriteTimeUtc(_chainFile);
            _ring = MasterKeyRing.Load(_chainFile);
        }

        return _ring;
    }
}
