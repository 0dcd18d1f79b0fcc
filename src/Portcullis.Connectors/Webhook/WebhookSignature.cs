using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Connectors.Webhook;

/// <summary>
/// Signs outgoing webhook requests so the receiver can prove they came from Portcullis:
/// <c>X-Portcullis-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c> over
/// <c>{t}.{METHOD}.{path and query}.{body}</c> with the credential's signing secret. The timestamp lets
/// receivers refuse replays; method and path stop a captured signature from being replayed elsewhere.
/// </summary>
internal static class WebhookSignature
{
    public const string HeaderName = "X-Portcullis-Signature";

    public static string Header(string secret, long timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes($"{t}.{method}.{pathAndQuery}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
