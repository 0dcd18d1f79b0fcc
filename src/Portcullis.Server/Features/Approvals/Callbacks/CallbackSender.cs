using System.Diagnostics;
using System.Globalization;
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

    public readonly record struct Outcome(bool Delivered, int? StatusCode, string? Error, long DurationMs);

    public async Task<Outcome> SendAsync(string deliveryId, string eventName, string url, string body, string secret, TimeSpan timeout, CancellationToken ct)
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
            return new(false, null, "the callback URL resolves to an internal address (url_not_allowed); an operator can allow it in Portcullis:Network:AllowedTargets",
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
