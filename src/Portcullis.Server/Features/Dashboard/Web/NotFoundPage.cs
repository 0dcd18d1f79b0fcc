namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// What answers a GET that no endpoint matched: a page for dashboard addresses, and for API addresses the bare 404 that the
/// status-code pages turn into problem details, as before.
/// </summary>
public static class NotFoundPage
{
    public static void MapNotFoundPage(this WebApplication app) =>
        app.MapFallback("{*path}", Handle).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"])).AllowAnonymous().ExcludeFromDescription();

    private static IResult Handle(HttpContext http)
    {
        var request = http.Request;
        // Machines probe /.well-known (OAuth metadata) and read JSON: they keep the problem details.
        if (!DashboardPaths.IsDashboard(request) || DashboardPaths.IsBackground(request) || request.Path.StartsWithSegments("/assets")
            || request.Path.StartsWithSegments("/.well-known"))
        {
            return Results.NotFound();
        }

        return Results.Content(MessagePage.Render("Page not found", "There is no page at this address. It may have moved, or the link may be mistyped."),
            "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }
}
