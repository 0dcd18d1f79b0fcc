using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

/// <summary>
/// Dashboard pages are never cached, in the form antiforgery itself asks for: before, every page with a form logged an
/// antiforgery warning that it had overridden the page's <c>Cache-Control: no-store</c> (55 lines in 15 minutes of use).
/// </summary>
public sealed class DashboardCacheHeadersTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task A_page_with_a_form_is_not_cached_and_logs_no_antiforgery_warning()
    {
        for (var i = 0; i < 3; i++)
        {
            var page = await server.Anonymous().GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.True(page.Headers.CacheControl is { NoStore: true, NoCache: true }, page.Headers.CacheControl?.ToString());
        }

        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase) && line.StartsWith("Warning", StringComparison.Ordinal));
    }
}
