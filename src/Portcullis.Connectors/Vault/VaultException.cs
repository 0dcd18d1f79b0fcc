using System.Security.Cryptography;

namespace Portcullis.Connectors.Vault;

/// <summary>
/// A sealed secret cannot be opened (tampered, wrong credential id, unknown master key version) or a key
/// file is unusable. A <see cref="CryptographicException"/>, so callers can catch either. Messages never
/// contain key material or plaintext.
/// </summary>
public sealed class VaultException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    public VaultException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public VaultException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
