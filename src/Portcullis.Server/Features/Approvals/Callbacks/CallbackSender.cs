using System.Text;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>
/// One signed POST of a callback. SECURITY: redirects are never followed (the client is built without them), so a
/// receiver cannot bounce the signed body elsewhere; recorded errors name what went wrong, never the URL, headers
/// or body. The client's connections go through the <see cref="OutboundGuard"/>; a URL stored before a rule tightened is
/// checked again here, so both end as a recorded failure rather than a request.
/// </summary>
public sealed class CallbackSender(HttpClient client, OutboundGuard guard, TimeProvider time)
{
    public const string DeliveryHeader = "Portcullis-Delivery";
    public const string EventHeader = "Portcullis-Event";

    public async Task<DeliveryOutcome> SendAsync(string deliveryId, string eventName, string url, string body, string secret, TimeSpan timeout, CancellationToken ct)
    {
        if (guard.ShapeProblem(url, OutboundUrlRules.Endpoint) is { } refused)
        {
            return new(false, null, $"the callback URL is not allowed: it {refused}", 0);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(CallbackSignature.Header, CallbackSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.TryAddWithoutValidation(DeliveryHeader, deliveryId);
        request.Headers.TryAddWithoutValidation(EventHeader, eventName);
        request.Headers.UserAgent.ParseAdd("Portcullis-Callbacks/1");
        return await SignedPost.SendAsync(client, request, timeout, "callback", ct);
    }
}
