using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portcullis.Connectors.Demo;

/// <summary>
/// Derives provider-looking ids from a hash of the action request, so the same request always gets the
/// same simulated refund id, message id or ticket number, and different requests never collide in practice.
/// </summary>
internal sealed class DemoIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string HexDigits = "0123456789abcdef";
    private readonly byte[] _seed;

    public DemoIds(string actionRequestId, string actionType, JsonElement payload)
    {
        _seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{actionRequestId}\n{actionType}\n{payload.GetRawText()}"));
    }

    public string Alnum(string salt, int length) => Pick(salt, length, Base62);

    public string Hex(string salt, int length) => Pick(salt, length, HexDigits);

    /// <summary>A decimal number of <paramref name="digits"/> digits without a leading zero.</summary>
    public string Digits(string salt, int digits) => Pick(salt + "#lead", 1, "123456789") + Pick(salt, digits - 1, "0123456789");

    public long Number(string salt, long min, long max)
    {
        var bytes = Stream(salt, 8);
        return min + (long)(BitConverter.ToUInt64(bytes) % (ulong)(max - min + 1));
    }

    private string Pick(string salt, int length, string alphabet)
    {
        var bytes = Stream(salt, length);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[bytes[i] % alphabet.Length];
        }

        return new string(chars);
    }

    private byte[] Stream(string salt, int length)
    {
        var output = new byte[length];
        var saltBytes = Encoding.UTF8.GetBytes(salt);
        for (int block = 0, offset = 0; offset < length; block++, offset += 32)
        {
            var input = _seed.Concat(saltBytes).Concat(BitConverter.GetBytes(block)).ToArray();
            var hash = SHA256.HashData(input);
            hash.AsSpan(0, Math.Min(32, length - offset)).CopyTo(output.AsSpan(offset));
        }

        return output;
    }
}
