using System.Net.Sockets;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// A start that fails for an ordinary reason (the port is taken) is told in one line, not in the two stack traces
/// Kestrel and the host would log: their "could not start" errors are held back while the server starts,
/// and the exception is explained instead.
/// </summary>
public static class StartFailures
{
    private static volatile bool _starting = true;

    /// <summary>
    /// Hides the framework's own error and critical start-up entries until <see cref="Started"/>; the caller explains the
    /// failure. Each filter names its category and keeps that category's usual level (Kestrel: warnings, as the rest of
    /// ASP.NET Core; the host: information). A filter for every category would be the one rule every logger picks, and
    /// since it names no level, every Debug entry of every category would be written (measured: two per request).
    /// </summary>
    public static ILoggingBuilder HideStartupCriticals(this ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", level => level >= LogLevel.Warning && Shown(level))
            .AddFilter("Microsoft.Extensions.Hosting", level => level >= LogLevel.Information && Shown(level));

    private static bool Shown(LogLevel level) => !(_starting && level >= LogLevel.Error);

    public static void Started() => _starting = false;

    /// <summary>One line for a failure to listen; null when the exception is something else (it is then rethrown).</summary>
    public static string? Explain(Exception exception, string urls)
    {
        if (exception is not IOException io)
        {
            return null;
        }

        var inUse = io.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
            || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
        return inUse
            ? $"portcullis: cannot listen on {urls}: the address is already in use. Is Portcullis already running? Stop it, or start on another port: dotnet run --project src/Portcullis.Server --urls http://localhost:5081"
            : $"portcullis: cannot listen on {urls}: {io.Message}";
    }
}
