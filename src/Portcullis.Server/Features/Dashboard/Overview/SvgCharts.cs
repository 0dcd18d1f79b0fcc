using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;
using static Portcullis.Server.Features.Dashboard.Web.Fmt;

namespace Portcullis.Server.Features.Dashboard.Overview;

/// <summary>One bar, or one segment of a stacked bar: its value, its words (a tooltip and screen-reader label), and the list behind it.</summary>
public sealed record ChartSegment(string Series, long Value, string Description, string Href);

/// <summary>A column of a stacked chart (one time bucket), or a row of a bar chart.</summary>
public sealed record ChartColumn(string Label, IReadOnlyList<ChartSegment> Segments, string? ValueText = null)
{
    public long Total => Segments.Sum(s => s.Value);
}

/// <summary>
/// Server-rendered SVG charts: no script, no library, nothing inline that the pages' CSP would refuse (colours come from
/// CSS classes, so dark mode restyles them). Each chart carries a title, and each bar is a link with its own label.
/// </summary>
public static class SvgCharts
{
    // Sizes in the charts' own units; CSS stretches each chart to its card, so these are chosen to keep text near 12px there.
    private const int Width = 1000;
    private const int Height = 200;
    private const int RowsWidth = 360;
    private const int Axis = 18;

    /// <summary>Vertical stacked bars, one per column, segments coloured by series (<c>series-allow</c>, …).</summary>
    public static IHtmlContent Stacked(string id, string title, IReadOnlyList<ChartColumn> columns)
    {
        var svg = Open(id, title, Width, Height + Axis);
        var max = Math.Max(1, columns.Count == 0 ? 1 : columns.Max(c => c.Total));
        var slot = (double)Width / Math.Max(1, columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var x = i * slot + slot * 0.15;
            var y = (double)Height;
            foreach (var segment in columns[i].Segments.Where(s => s.Value > 0))
            {
                var h = Math.Max(1, segment.Value * (Height - 4) / (double)max);
                y -= h;
                Bar(svg, segment, x, y, slot * 0.7, h);
            }

            // Label every other column on long axes, so labels never overlap.
            if (columns.Count <= 12 || i % (columns.Count / 8 + 1) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{N(x + slot * 0.35)}\" y=\"{Height + 14}\" text-anchor=\"middle\">{E(columns[i].Label)}</text>");
            }
        }

        return Close(svg);
    }

    /// <summary>Horizontal bars, one row per column, longest first as given; the value is written at the bar's end.</summary>
    public static IHtmlContent Rows(string id, string title, IReadOnlyList<ChartColumn> rows)
    {
        const int rowHeight = 24, labelWidth = 124, valueWidth = 64;
        var height = Math.Max(1, rows.Count) * rowHeight;
        var svg = Open(id, title, RowsWidth, height);
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Total));
        var span = RowsWidth - labelWidth - valueWidth;
        for (var i = 0; i < rows.Count; i++)
        {
            var y = i * rowHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{labelWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{E(Shorten(rows[i].Label))}</text>");
            double x = labelWidth;
            foreach (var segment in rows[i].Segments.Where(s => s.Value > 0))
            {
                var w = Math.Max(2, segment.Value * span / (double)max);
                Bar(svg, segment, x, y + 4, w, rowHeight - 8);
                x += w;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{N(x + 6)}\" y=\"{y + 16}\">{E(rows[i].ValueText ?? rows[i].Total.ToString("N0", CultureInfo.InvariantCulture))}</text>");
        }

        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, int width, int height) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{E(id)}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{E(id)}-title\">")
        .Append(CultureInfo.InvariantCulture, $"<title id=\"{E(id)}-title\">{E(title)}</title>");

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static void Bar(StringBuilder svg, ChartSegment segment, double x, double y, double w, double h) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<a href=\"{E(segment.Href)}\" aria-label=\"{E(segment.Description)}\"><rect class=\"series-{E(segment.Series)}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\"><title>{E(segment.Description)}</title></rect></a>");

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Shorten(string label) => label.Length > 18 ? label[..17] + "…" : label;
}
