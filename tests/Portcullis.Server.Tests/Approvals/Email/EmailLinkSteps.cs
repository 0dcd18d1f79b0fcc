using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>What an approver does with an approval email: read it, follow its link, press a button.</summary>
public static partial class EmailLinkSteps
{
    public sealed record Approver(HttpClient Client, string UserId, string Email);

    /// <summary>Adds a member with the given role and signs them in.</summary>
    public static async Task<Approver> NewMemberAsync(this ServerFixture server, TestWorkspace ws, string role = "approver", string prefix = "approver")
    {
        var email = $"{prefix}-{Guid.NewGuid():n}@example.com";
        var added = await ws.Owner().AddMemberAsync(server.Anonymous(), email, role, prefix);
        var login = await (await server.Anonymous().PostJson("/api/auth/login", new { email, password = MemberInvites.Password })).Json();
        return new(server.WithBearer(login.GetProperty("token").GetString()!), added.GetProperty("userId").GetString()!, email);
    }

    public static string To(this MimeMessage message) => ((MailboxAddress)message.To.Single()).Address;

    /// <summary>The one-time link in the message; the text and HTML parts must carry the same one.</summary>
    public static string Link(this MimeMessage message)
    {
        var text = LinkPattern().Match(message.TextBody ?? "");
        Assert.True(text.Success, "the email's text has no approval link");
        Assert.Contains(text.Value, message.HtmlBody, StringComparison.Ordinal);
        return text.Value[EmailServer.PublicBaseUrl.Length..];
    }

    public static MimeMessage For(this IEnumerable<MimeMessage> messages, string email) => messages.Single(m => m.To() == email);

    /// <summary>Opens the link (as a mail scanner or the approver would); returns the status and the page.</summary>
    public static async Task<(HttpStatusCode Status, string Page)> OpenAsync(this HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens the link and presses a button on its confirmation page.</summary>
    public static async Task<(HttpStatusCode Status, string Page)> PressAsync(this HttpClient browser, string path, string decision, string? comment = null)
    {
        var (status, page) = await browser.OpenAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return await browser.PostFormAsync(path, decision, Antiforgery(page), comment);
    }

    public static async Task<(HttpStatusCode Status, string Page)> PostFormAsync(this HttpClient browser, string path, string decision, string? antiforgery,
        string? comment = null)
    {
        var fields = new Dictionary<string, string> { ["decision"] = decision, ["comment"] = comment ?? "" };
        if (antiforgery is not null)
        {
            fields["__RequestVerificationToken"] = antiforgery;
        }

        var response = await browser.PostAsync(path, new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string Antiforgery(string page) => AntiforgeryPattern().Match(page).Groups[1].Value;

    [GeneratedRegex(@"https://portcullis\.test/approvals/email/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
