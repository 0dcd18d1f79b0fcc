namespace Portcullis.Connectors.Security;

/// <summary>A connection the <see cref="OutboundGuard"/> refused: the target resolved to an address that is not allowed.</summary>
public sealed class OutboundRefusedException(string host)
    : HttpRequestException(HttpRequestError.ConnectionError, $"outbound connection to `{host}` refused: it resolves to an internal address")
{
    /// <summary>Whether <paramref name="exception"/> or one it wraps is a refusal of the guard.</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
