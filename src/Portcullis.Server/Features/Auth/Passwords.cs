using Microsoft.AspNetCore.Identity;

namespace Portcullis.Server.Features.Auth;

/// <summary>Password hashing with ASP.NET Core Identity's hasher (PBKDF2, per-hash salt, versioned format).</summary>
public sealed class Passwords
{
    public const int MinLength = 10;

    private readonly PasswordHasher<object> _hasher = new();
    private readonly string _dummyHash;

    public Passwords() => _dummyHash = _hasher.HashPassword(this, Guid.NewGuid().ToString());

    public string Hash(string password) => _hasher.HashPassword(this, password);

    public bool Verify(string? storedHash, string password)
    {
        // An unknown email still pays for one verification, so timing does not reveal which emails exist.
        var result = _hasher.VerifyHashedPassword(this, storedHash ?? _dummyHash, password);
        return storedHash is not null && result != PasswordVerificationResult.Failed;
    }
}
