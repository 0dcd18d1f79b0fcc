using System.Diagnostics;
using System.Globalization;
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

    public readonly record struct Outcome(bool Delivered, int? StatusCode, string? Error, long DurationMs);

    public async Task<Outcome> SendAsync(string deliveryId, string type, string url, string body, string secret, TimeSpan timeout, CancellationToken ct)
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
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            var error = code switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"the receiver answered {code}; redirects are never followed",
                _ => $"the receiver answered {code}",
            };
            return new(error is null, code, error, Elapsed(started));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(false, null, $"no answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s", Elapsed(started));
        }
        catch (HttpRequestException ex) when (OutboundRefusedException.IsRefusal(ex))
        {
            return new(false, null, "the subscription URL resolves to an internal address (url_not_allowed); an operator can allow it in Portcullis:Network:AllowedTargets",
                Elapsed(started));
        }
        catch (HttpRequestException ex)
        {
            // The category only: the exception's message can carry the host and the inner socket details.
            return new(false, null, $"the request failed ({ex.HttpRequestError})", Elapsed(started));
        }
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
