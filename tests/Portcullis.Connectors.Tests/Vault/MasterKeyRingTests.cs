using System.Runtime.Versioning;
using Portcullis.Connectors.Vault;

namespace Portcullis.Connectors.Tests.Vault;

[UnsupportedOSPlatform("windows")]
public sealed class MasterKeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-vault-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_new_key_file_is_created_owner_read_write_only()
    {
        var path = Path.Combine(_directory, "data", "master.key");

        var ring = MasterKeyRing.LoadOrCreateKeyFile(path);

        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(1, ring.Current.Version);
        Assert.Equal(32, ring.Current.Key.Length);
    }

    [Fact]
    public void The_key_file_is_read_back_on_the_next_start()
    {
        var path = Path.Combine(_directory, "master.key");
        var first = MasterKeyRing.LoadOrCreateKeyFile(path);
        var sealedSecret = EnvelopeCipher.Seal(first, "cred_1", "hello"u8);

        var second = MasterKeyRing.LoadOrCreateKeyFile(path);

        Assert.Equal(first.Current.Key, second.Current.Key);
        Assert.Equal("hello"u8.ToArray(), EnvelopeCipher.Open(second, "cred_1", sealedSecret));
    }

    [Fact]
    public void A_rotated_ring_saves_every_version_and_keeps_0600()
    {
        var path = Path.Combine(_directory, "master.key");
        var v1 = MasterKeyRing.LoadOrCreateKeyFile(path);
        var old = EnvelopeCipher.Seal(v1, "cred_1", "old"u8);

        var v3 = v1.Rotate().Rotate();
        v3.Save(path);
        var loaded = MasterKeyRing.LoadOrCreateKeyFile(path);

        Assert.Equal(3, loaded.Current.Version);
        Assert.Equal([1, 2, 3], loaded.Keys.Select(k => k.Version));
        Assert.Equal("old"u8.ToArray(), EnvelopeCipher.Open(loaded, "cred_1", old));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Keys_from_configuration_take_versions_by_position_or_prefix()
    {
        var k1 = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
        var k2 = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());

        var byPosition = MasterKeyRing.FromBase64(k1, k2);
        var byPrefix = MasterKeyRing.FromBase64($"4:{k2}", $"3:{k1}");

        Assert.Equal(2, byPosition.Current.Version);
        Assert.Equal(2, byPosition.Current.Key[0]);
        Assert.Equal(4, byPrefix.Current.Version);
        Assert.True(byPrefix.TryGet(3, out var three));
        Assert.Equal(1, three.Key[0]);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("x:AAAA")]
    public void Bad_configured_keys_are_refused_without_echoing_them(string entry)
    {
        var error = Assert.Throws<VaultException>(() => MasterKeyRing.FromBase64(entry));
        Assert.DoesNotContain(entry, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_versions_and_short_keys_are_refused()
    {
        var key = new byte[32];
        Assert.Throws<VaultException>(() => new MasterKeyRing([new MasterKey(1, key), new MasterKey(1, key)], 1));
        Assert.Throws<VaultException>(() => new MasterKeyRing([new MasterKey(1, new byte[16])], 1));
        Assert.Throws<VaultException>(() => new MasterKeyRing([new MasterKey(1, key)], 2));
    }

    [Fact]
    public void A_corrupt_key_file_is_reported()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "master.key");
        File.WriteAllText(path, "{\"format\": \"portcullis-master-keys/v1\", \"current\": 1}");

        Assert.Throws<VaultException>(() => MasterKeyRing.LoadOrCreateKeyFile(path));
    }

    [Fact]
    public void The_ring_copies_key_bytes_and_never_prints_them()
    {
        var key = Enumerable.Repeat((byte)7, 32).ToArray();
        var ring = new MasterKeyRing([new MasterKey(1, key)], 1);
        key[0] = 0;

        Assert.Equal(7, ring.Current.Key[0]);
        Assert.Equal("MasterKey { Version = 1 }", ring.Current.ToString());
        Assert.DoesNotContain(Convert.ToBase64String(ring.Current.Key), ring.Current.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
