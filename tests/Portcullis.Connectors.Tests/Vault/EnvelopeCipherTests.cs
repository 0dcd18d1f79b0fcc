using System.Security.Cryptography;
using System.Text;
using Portcullis.Connectors.Vault;

namespace Portcullis.Connectors.Tests.Vault;

public class EnvelopeCipherTests
{
    private const string CredentialId = "cred_01HZX3STRIPE";
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("""{"apiKey":"sk_test_abcdefghijklmnopqrstuvwx4242"}""");

    [Fact]
    public void Sealed_secrets_open_again()
    {
        var ring = MasterKeyRing.Generate();

        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        Assert.Equal(Secret, EnvelopeCipher.Open(ring, CredentialId, sealedSecret));
        Assert.Equal(1, sealedSecret.MasterKeyVersion);
    }

    [Fact]
    public void Stored_bytes_do_not_contain_the_plaintext_or_the_master_key()
    {
        var ring = MasterKeyRing.Generate();

        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        Assert.False(Contains(sealedSecret.Ciphertext, Secret));
        Assert.False(Contains(sealedSecret.Ciphertext, Encoding.UTF8.GetBytes("sk_test")));
        Assert.False(Contains(sealedSecret.WrappedDataKey, ring.Current.Key));
        Assert.DoesNotContain("sk_test", sealedSecret.ToCompactString(), StringComparison.Ordinal);
        Assert.Equal(1 + 12 + Secret.Length + 16, sealedSecret.Ciphertext.Length);
        Assert.Equal(1 + 12 + 32 + 16, sealedSecret.WrappedDataKey.Length);
    }

    [Fact]
    public void Sealing_the_same_secret_twice_gives_different_bytes()
    {
        var ring = MasterKeyRing.Generate();

        var a = EnvelopeCipher.Seal(ring, CredentialId, Secret);
        var b = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        Assert.NotEqual(a.Ciphertext, b.Ciphertext);
        Assert.NotEqual(a.WrappedDataKey, b.WrappedDataKey);
        Assert.NotEqual(a.Ciphertext.AsSpan(1, 12).ToArray(), b.Ciphertext.AsSpan(1, 12).ToArray());
    }

    [Fact]
    public void Flipping_any_bit_of_the_wrapped_key_or_the_ciphertext_fails()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        for (var i = 0; i < sealedSecret.WrappedDataKey.Length; i++)
        {
            var tampered = sealedSecret with { WrappedDataKey = Flip(sealedSecret.WrappedDataKey, i) };
            Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, tampered));
        }

        for (var i = 0; i < sealedSecret.Ciphertext.Length; i++)
        {
            var tampered = sealedSecret with { Ciphertext = Flip(sealedSecret.Ciphertext, i) };
            Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, tampered));
        }
    }

    [Fact]
    public void Truncated_or_swapped_blobs_fail()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, sealedSecret with { Ciphertext = sealedSecret.Ciphertext[..20] }));
        Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, sealedSecret with { WrappedDataKey = sealedSecret.Ciphertext, Ciphertext = sealedSecret.WrappedDataKey }));
        Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, sealedSecret with { Ciphertext = [] }));
    }

    [Fact]
    public void A_secret_sealed_for_one_credential_does_not_open_for_another()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        var error = Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, "cred_01HZX3OTHER", sealedSecret));
        Assert.IsAssignableFrom<CryptographicException>(error);
        Assert.Equal("the sealed secret failed authentication: it was altered or belongs to another credential", error.Message);
    }

    [Fact]
    public void The_data_layer_is_bound_to_the_credential_too()
    {
        // Re-wrapping the data key for another credential must not make the ciphertext open there.
        var ring = MasterKeyRing.Generate();
        var mine = EnvelopeCipher.Seal(ring, CredentialId, Secret);
        var theirs = EnvelopeCipher.Seal(ring, "cred_other", Encoding.UTF8.GetBytes("other secret"));

        var spliced = theirs with { Ciphertext = mine.Ciphertext };

        Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, "cred_other", spliced));
    }

    [Fact]
    public void Another_master_key_cannot_open_it()
    {
        var sealedSecret = EnvelopeCipher.Seal(MasterKeyRing.Generate(), CredentialId, Secret);

        Assert.Throws<VaultException>(() => EnvelopeCipher.Open(MasterKeyRing.Generate(), CredentialId, sealedSecret));
    }

    [Fact]
    public void An_unknown_master_key_version_is_reported_without_secrets()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret) with { MasterKeyVersion = 7 };

        var error = Assert.Throws<VaultException>(() => EnvelopeCipher.Open(ring, CredentialId, sealedSecret));

        Assert.Equal("master key version 7 is not in the key ring", error.Message);
    }

    [Fact]
    public void Rotation_keeps_old_secrets_readable_and_rewrap_moves_them_to_the_new_key()
    {
        var v1 = MasterKeyRing.Generate();
        var secrets = Enumerable.Range(0, 5).Select(i => (Id: $"cred_{i}", Plain: Encoding.UTF8.GetBytes($"secret-{i}"))).ToList();
        var sealedV1 = secrets.Select(s => EnvelopeCipher.Seal(v1, s.Id, s.Plain)).ToList();

        var v2 = v1.Rotate();

        Assert.Equal(2, v2.Current.Version);
        Assert.Equal([1, 2], v2.Keys.Select(k => k.Version));
        for (var i = 0; i < secrets.Count; i++)
        {
            Assert.Equal(secrets[i].Plain, EnvelopeCipher.Open(v2, secrets[i].Id, sealedV1[i]));
            var rewrapped = EnvelopeCipher.Rewrap(v2, secrets[i].Id, sealedV1[i]);
            Assert.Equal(2, rewrapped.MasterKeyVersion);
            Assert.Equal(sealedV1[i].Ciphertext, rewrapped.Ciphertext);
            Assert.NotEqual(sealedV1[i].WrappedDataKey, rewrapped.WrappedDataKey);
            Assert.Equal(secrets[i].Plain, EnvelopeCipher.Open(v2, secrets[i].Id, rewrapped));

            // Once every secret is re-wrapped, version 1 can be retired.
            var onlyV2 = new MasterKeyRing([v2.Current], 2);
            Assert.Equal(secrets[i].Plain, EnvelopeCipher.Open(onlyV2, secrets[i].Id, rewrapped));
            Assert.Throws<VaultException>(() => EnvelopeCipher.Open(onlyV2, secrets[i].Id, sealedV1[i]));
        }

        var sealedV2 = EnvelopeCipher.Seal(v2, "cred_new", Secret);
        Assert.Equal(2, sealedV2.MasterKeyVersion);
    }

    [Fact]
    public void Rewrap_refuses_a_secret_of_another_credential()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        Assert.Throws<VaultException>(() => EnvelopeCipher.Rewrap(ring.Rotate(), "cred_other", sealedSecret));
    }

    [Fact]
    public void The_compact_form_round_trips()
    {
        var ring = MasterKeyRing.Generate();
        var sealedSecret = EnvelopeCipher.Seal(ring, CredentialId, Secret);

        var parsed = SealedSecret.Parse(sealedSecret.ToCompactString());

        Assert.StartsWith("v1.1.", sealedSecret.ToCompactString(), StringComparison.Ordinal);
        Assert.Equal(Secret, EnvelopeCipher.Open(ring, CredentialId, parsed));
        Assert.Throws<VaultException>(() => SealedSecret.Parse("v1.x.abc.def"));
        Assert.Throws<VaultException>(() => SealedSecret.Parse("not a secret"));
    }

    [Fact]
    public void An_empty_secret_seals_too()
    {
        var ring = MasterKeyRing.Generate();

        Assert.Empty(EnvelopeCipher.Open(ring, CredentialId, EnvelopeCipher.Seal(ring, CredentialId, [])));
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
