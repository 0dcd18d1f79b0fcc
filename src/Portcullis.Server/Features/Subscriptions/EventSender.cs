using System.Net.Http.Headers;
using System.Text;
using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Approvals.Callbacks;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// One signed POST of a CloudEvent, signed exactly like an approval callback (<see cref="CallbackSignature"/>, the
/// workspace's one signing secret). SECURITY: redirects are never followed; the URL is checked again here and every
/// connection goes through the <see cref="OutboundGuard"/>, so a rule tightened after the subscription was made ends as a
/// recorded failure; recorded errors never carry the URL, headers or body.
/// </summary>
public sealed class EventSender(HttpClient client, OutboundGuard guard, TimeProvider time)
{
    public const string DeliveryHeader = "Portcullis-Delivery";
    public const string EventHeader = "Portcullis-Event";

    public async Task<DeliveryOutcome> SendAsync(string deliveryId, string type, string url, string body, string secret, TimeSpan timeout, CancellationToken ct)
    {
        if (guard.ShapeProblem(url, OutboundUrlRules.Endpoint) is { } refused)
        {
            return new(false, null, $"the subscription URL is not allowed (url_not_allowed): it {refused}", 0);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvent.MediaType) { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(CallbackSignature.Header, CallbackSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.TryAddWithoutValidation(DeliveryHeader, deliveryId);
        request.Headers.TryAddWithoutValidation(EventHeader, EventTypes.Prefix + type);
        request.Headers.UserAgent.ParseAdd("Portcullis-Events/1");
        return await SignedPost.SendAsync(client, request, timeout, "subscription", ct);
    }
}
