namespace Portcullis.Connectors.Vault;

/// <summary>One version of the master key: 32 random bytes that wrap data keys.</summary>
/// <param name="Version">Version number, from 1; stored with every sealed secret.</param>
/// <param name="Key">The 256-bit key.</param>
public sealed record MasterKey(int Version, byte[] Key)
{
    /// <summary>AES-256 key length in bytes.</summary>
    public const int KeyLength = 32;

    // SECURITY: the generated ToString would print the type of Key today, and its bytes if Key ever became a collection type that prints.
    /// <inheritdoc />
    public override string ToString() => $"MasterKey {{ Version = {Version} }}";
}

/// <summary>A sealed secret: the data key wrapped under a master key version, and the encrypted data.</summary>
/// <param name="MasterKeyVersion">Master key version that wraps <paramref name="WrappedDataKey"/>.</param>
/// <param name="WrappedDataKey">Format byte, nonce, encrypted data key and tag.</param>
/// <param name="Ciphertext">Format byte, nonce, encrypted secret and tag.</param>
public sealed record SealedSecret(int MasterKeyVersion, byte[] WrappedDataKey, byte[] Ciphertext)
{
    /// <summary>One-string form for a single database column: <c>v1.{version}.{wrapped key}.{ciphertext}</c> (base64url).</summary>
    public string ToCompactString() =>
        $"v1.{MasterKeyVersion}.{System.Buffers.Text.Base64Url.EncodeToString(WrappedDataKey)}.{System.Buffers.Text.Base64Url.EncodeToString(Ciphertext)}";

    /// <summary>Parses <see cref="ToCompactString"/>.</summary>
    /// <exception cref="VaultException">The text is not a sealed secret.</exception>
    public static SealedSecret Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length != 4 || parts[0] != "v1" || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            throw new VaultException("the text is not a sealed secret");
        }

        try
        {
            return new SealedSecret(version, System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[3]));
        }
        catch (FormatException e)
        {
            throw new VaultException("the text is not a sealed secret", e);
        }
    }
}
