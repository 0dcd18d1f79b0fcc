using System.Diagnostics;
using System.Globalization;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Features.Approvals.Callbacks;

/// <summary>How one signed POST ended, as an attempt row records it.</summary>
public readonly record struct DeliveryOutcome(bool Delivered, int? StatusCode, string? Error, long DurationMs);

/// <summary>
/// Sends one already signed POST (an approval callback, an event delivery) and says how it ended. SECURITY: recorded
/// errors name what went wrong, never the URL, headers or body; a redirect is a failure, never followed.
/// </summary>
public static class SignedPost
{
    /// <param name="urlName">What the URL is to its owner ("callback", "subscription"), for the recorded error.</param>
    public static async Task<DeliveryOutcome> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan timeout, string urlName, CancellationToken ct)
    {
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
            return new(false, null, $"the {urlName} URL resolves to an internal address (url_not_allowed); an operator can allow it in Portcullis:Network:AllowedTargets",
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
