using Microsoft.AspNetCore.Diagnostics;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// An unexpected failure on a dashboard page is logged and answered with a sentence and the request id;
/// API paths fall through to the problem-details handler.
/// </summary>
public sealed partial class DashboardErrorHandler(ILogger<DashboardErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!DashboardPaths.IsDashboard(http.Request) || DashboardPaths.IsBackground(http.Request) || http.Response.HasStarted)
        {
            return false;
        }

        LogPageFailed(logger, exception, http.Request.Path);
        await MessagePage.WriteAsync(http, StatusCodes.Status500InternalServerError, "Something went wrong",
            "The page could not be shown. Try again; if it keeps failing, give an administrator the reference below.");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dashboard page {Path} failed")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, PathString path);
}
