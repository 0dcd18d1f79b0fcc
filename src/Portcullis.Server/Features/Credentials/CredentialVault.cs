using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Section <c>Portcullis:Vault</c>. The master key itself is secret: give it by environment or a key file.</summary>
public sealed class VaultOptions
{
    public const string Section = "Portcullis:Vault";

    /// <summary>Where the master key ring lives when no key is configured (default <c>{DataDirectory}/keys/vault.json</c>).</summary>
    public string? KeyFile { get; set; }
}

/// <summary>
/// Seals and opens credential secrets with the master key ring: from <c>Portcullis:Vault:MasterKey</c>
/// (<c>base64</c> or <c>version:base64</c>, comma-separated for several versions) or an owner-only key
/// file created on first start. When a row names a key version this process does not know (another
/// instance or the CLI rotated the key file), the file is read again, so rotation needs no restart.
/// </summary>
public sealed class CredentialVault
{
    private readonly string? _keyFile;
    private MasterKeyRing _ring;

    public CredentialVault(IConfiguration configuration, IOptions<VaultOptions> vault, IOptions<PortcullisOptions> root)
    {
        var configured = configuration["Portcullis:Vault:MasterKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _ring = MasterKeyRing.FromBase64(configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            _keyFile = KeyFilePath(vault.Value, root.Value);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_keyFile))!);
            _ring = MasterKeyRing.LoadOrCreateKeyFile(_keyFile);
        }
    }

    public static string KeyFilePath(VaultOptions vault, PortcullisOptions root) =>
        vault.KeyFile ?? Path.Combine(root.DataDirectory, "keys", "vault.json");

    public int CurrentVersion => _ring.Current.Version;

    public SealedSecret Seal(string credentialId, IReadOnlyDictionary<string, string> secrets) =>
        EnvelopeCipher.Seal(_ring, credentialId, JsonSerializer.SerializeToUtf8Bytes(secrets));

    public Dictionary<string, string> Open(string credentialId, SealedSecret sealedSecret)
    {
        var ring = RingFor(sealedSecret.MasterKeyVersion);
        var plain = EnvelopeCipher.Open(ring, credentialId, sealedSecret);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(plain) ?? [];
        }
        finally
        {
            Array.Clear(plain);
        }
    }

    /// <summary>Re-wraps a data key under the current master key; the ciphertext stays as it is.</summary>
    public SealedSecret Rewrap(string credentialId, SealedSecret sealedSecret) =>
        EnvelopeCipher.Rewrap(RingFor(sealedSecret.MasterKeyVersion), credentialId, sealedSecret);

    /// <summary>Adds a new master key version to the key file and makes it current.</summary>
    public int Rotate()
    {
        if (_keyFile is null)
        {
            throw new InvalidOperationException(
                "the master key comes from configuration: add the new key as `2:base64` to Portcullis:Vault:MasterKey (keeping the old one) and run `portcullis vault rotate` to re-wrap");
        }

        var rotated = MasterKeyRing.Load(_keyFile).Rotate();
        rotated.Save(_keyFile);
        _ring = rotated;
        return rotated.Current.Version;
    }

    private MasterKeyRing RingFor(int version)
    {
        if (!_ring.TryGet(version, out _) && _keyFile is not null && File.Exists(_keyFile))
        {
            _ring = MasterKeyRing.Load(_keyFile);
        }

        return _ring;
    }
}
