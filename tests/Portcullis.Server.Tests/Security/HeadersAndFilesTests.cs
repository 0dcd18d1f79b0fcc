using System.Net;
using Dapper;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Security;

/// <summary>Cookies behind a TLS-terminating proxy, HSTS, headers on API answers, and owner-only data files.</summary>
public sealed class HeadersAndFilesTests(LimitedLoginServer server) : IClassFixture<LimitedLoginServer>
{
    [Fact]
    public async Task Behind_a_known_tls_proxy_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        var (signIn, _) = await SignInAsync(forwardedProto: "https");

        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portcullis_session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", signIn.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Over_plain_http_the_cookie_is_not_marked_secure_and_no_hsts_is_sent()
    {
        var (signIn, _) = await SignInAsync(forwardedProto: null);

        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portcullis_session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("/api/workspace")]
    [InlineData("/api/no-such-route")]
    public async Task Api_answers_carry_the_security_headers_too(string path)
    {
        var response = await server.Anonymous().GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public void The_data_directory_is_owner_only_and_the_database_files_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no unix modes there
        }

        var directory = server.Factory.TestDatabase.DataDirectory;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "portcullis.db")));
    }

    private async Task<(HttpResponseMessage SignIn, string Email)> SignInAsync(string? forwardedProto)
    {
        var ws = await server.NewWorkspaceAsync();
        var email = await OwnerEmailAsync(ws);
        using var browser = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.77, {LimitedLoginServer.Proxy}");
        if (forwardedProto is not null)
        {
            browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", $"{forwardedProto}, {forwardedProto}");
        }

        var form = await browser.GetStringAsync("/login");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = "another secure password",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return (signIn, email);
    }

    private async Task<string> OwnerEmailAsync(TestWorkspace ws)
    {
        await using var c = await server.Factory.Services.GetRequiredService<Database>().OpenAsync();
        return await c.QueryFirstAsync<string>(
            "SELECT u.email FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @ws AND m.role = 'owner'", new { ws = ws.WorkspaceId });
    }
}
