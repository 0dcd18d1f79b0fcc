using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>Encoding and formatting helpers for the fragments rendered outside Razor (live rows).</summary>
public static class Fmt
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>Indented JSON for a &lt;pre&gt; block (encode the result before writing it).</summary>
    public static string Json(JsonElement element) => JsonSerializer.Serialize(element, Pretty);

    /// <summary>A short, readable UTC time for tables; the full ISO time goes in the title attribute.</summary>
    public static string Time(string? iso) =>
        iso is not null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "";

    public static string Time(long unixMs) => Time(Infrastructure.Times.ToIso(unixMs));

    /// <summary>
    /// A <c>&lt;time&gt;</c> element: UTC text that the dashboard's script rewrites in the viewer's zone, the exact instant on hover.
    /// </summary>
    public static string TimeHtml(string? iso) =>
        Time(iso) is { Length: > 0 } text ? $"<time datetime=\"{E(iso)}\" title=\"{E(iso)}\">{text} UTC</time>" : "";

    public static Microsoft.AspNetCore.Html.HtmlString TimeTag(string? iso) => new(TimeHtml(iso));

    public static Microsoft.AspNetCore.Html.HtmlString TimeTag(long unixMs) => TimeTag(Infrastructure.Times.ToIso(unixMs));

    /// <summary>The CSS class of a status or decision badge.</summary>
    public static string Badge(string status) => status switch
    {
        "allow" or "executed" or "approved" or "completed" or "connected" => "badge ok",
        "allow_with_alert" or "awaiting_approval" or "pending" or "require_approval" or "needs_reconnect" => "badge warn",
        "block" or "blocked" or "failed" or "rejected" or "expired" => "badge bad",
        "running" => "badge info",
        _ => "badge",
    };

    public static string Label(string status) => status.Replace('_', ' ');

    /// <summary>A credential's status badge: "connected" is not shown green beside a failed verification.</summary>
    public static string CredentialBadge(string status, bool? verifyOk) =>
        status == "connected" && verifyOk == false ? "badge" : Badge(status);
}
