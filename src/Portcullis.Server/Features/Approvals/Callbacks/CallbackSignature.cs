using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// <c>Portcullis-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>. The key is the
/// secret's UTF-8 text as the rotate endpoint returned it. The timestamp is signed so receivers can refuse replays.
/// </summary>
public static class CallbackSignature
{
    public const string Header = "Portcullis-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
