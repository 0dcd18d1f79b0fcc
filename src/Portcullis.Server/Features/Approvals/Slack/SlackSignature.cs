using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Slack's request signing, as Slack documents it ("Verifying requests from Slack"): <c>X-Slack-Signature</c> is
/// <c>v0=</c> and the hex HMAC-SHA256, under the app's signing secret, of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>;
/// a timestamp more than five minutes from now is refused, so a captured request cannot be replayed later.
/// </summary>
public static class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public enum Verdict { Valid, Missing, Stale, Mismatch }

    /// <summary>The <c>v0=…</c> signature of a body sent at <paramref name="timestamp"/> (Unix seconds, as sent).</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message));
    }

    public static Verdict Verify(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Verdict.Missing;
        }

        // Both ways: a timestamp from the future is as suspect as an old one.
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return Verdict.Stale;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(signingSecret, timestamp, body));
        var presented = Encoding.ASCII.GetBytes(signature);
        // SECURITY: constant-time comparison, so the time taken tells nothing about how much of a forgery matched.
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? Verdict.Valid : Verdict.Mismatch;
    }
}
