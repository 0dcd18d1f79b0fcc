using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// A small standalone page for refusals and failures that happen outside a page (authentication,
/// filters, the exception handler): a title, a sentence, a way back. Never a stack trace.
/// </summary>
public static class MessagePage
{
    public static string Render(string title, string message, string? requestId = null)
    {
        var t = HtmlEncoder.Default.Encode(title);
        var m = HtmlEncoder.Default.Encode(message);
        var reference = requestId is null ? "" : $"<p class=\"muted\">Reference: <code>{HtmlEncoder.Default.Encode(requestId)}</code></p>";
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{t} · Portcullis</title><script src="{Assets.Url("theme.js")}"></script>
            <link rel="stylesheet" href="{Assets.Url("dashboard.css")}"><link rel="stylesheet" href="{Assets.Url("theme.css")}">
            <link rel="icon" type="image/svg+xml" href="{Assets.Url("favicon.svg")}"></head>
            <body class="message-page"><main class="card message"><h1>{t}</h1><p>{m}</p>{reference}
            <p><a class="button" href="/">Back to the dashboard</a></p></main></body></html>
            """;
    }

    public static ContentResult Result(int status, string title, string message) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = Render(title, message),
    };

    public static async Task WriteAsync(HttpContext http, int status, string title, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(Render(title, message, status >= 500 ? http.TraceIdentifier : null), http.RequestAborted);
    }
}
