using System.Net;
using Dapper;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>
/// Approval emails against a real SMTP server: who gets them, what they say, and the one-time links (GET confirms,
/// only the page's POST decides, once, as the recipient).
/// </summary>
public abstract class ApprovalEmailTests(EmailServer server)
{
    private async Task<List<string>> DecidersAsync(string approvalId)
    {
        await using var c = await server.Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT user_id FROM approval_decisions WHERE approval_id = @approvalId ORDER BY user_id", new { approvalId }))
            .ToList();
    }

    [Fact]
    public async Task A_held_action_emails_every_approver_a_link_whose_page_decides_only_when_a_button_is_pressed()
    {
        var ws = await server.NewWorkspaceAsync();
        var (a, b) = (await server.NewMemberAsync(ws), await server.NewMemberAsync(ws));
        var viewer = await server.NewMemberAsync(ws, role: "viewer", prefix: "viewer");
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), amount: 12_345);
        var digest = (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("argumentsDigest").GetString()!;

        // The owner and both approvers may decide; the viewer may not, and is not emailed.
        var messages = await server.Smtp.WaitForAsync(r.ApprovalId, 3);
        Assert.Equal(3, messages.Select(m => m.To()).Distinct().Count());
        Assert.Contains(messages, m => m.To().StartsWith("owner-", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.To() == viewer.Email);
        var mail = messages.For(a.Email);
        Assert.Equal("Approval needed: refund.create by agent-one", mail.Subject);
        Assert.Equal("approvals@portcullis.test", ((MimeKit.MailboxAddress)mail.From.Single()).Address);
        Assert.Contains($"Arguments digest: {digest[..12]}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Amount: 123.45", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("a human checks refunds", mail.TextBody, StringComparison.Ordinal);
        Assert.NotEqual(mail.Link(), messages.For(b.Email).Link());

        // A mail scanner (or the approver) opening the link twice decides nothing.
        var browser = server.Anonymous();
        var (status, page) = await browser.OpenAsync(mail.Link());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(digest, page, StringComparison.Ordinal);
        Assert.Contains("value=\"approve\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(mail.Link())).Status);
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());

        var (decided, answer) = await browser.PressAsync(mail.Link(), "approve", "looks right");
        Assert.Equal(HttpStatusCode.OK, decided);
        Assert.Contains("Approved", answer, StringComparison.Ordinal);
        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("approved", a.UserId), (approval.GetProperty("status").GetString(), approval.GetProperty("decidedBy").GetString()));
        Assert.Equal("email", approval.GetProperty("decidedChannel").GetString());
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));

        // Used: refused on GET and POST. Another recipient's link now finds the request decided.
        Assert.Equal(HttpStatusCode.Gone, (await browser.OpenAsync(mail.Link())).Status);
        Assert.Equal(HttpStatusCode.Gone, (await browser.PostFormAsync(mail.Link(), "reject", EmailLinkSteps.Antiforgery(page))).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await server.Anonymous().OpenAsync(messages.For(b.Email).Link())).Status);
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal([a.UserId], await DecidersAsync(r.ApprovalId));
    }

    [Fact]
    public async Task Each_link_decides_as_its_own_recipient_once_and_two_of_them_satisfy_two_approvals()
    {
        var ws = await server.NewWorkspaceAsync();
        var (a, b) = (await server.NewMemberAsync(ws), await server.NewMemberAsync(ws));
        await RequireApprovalAsync(ws.Owner(), approvalsRequired: 2);
        var r = await RequestRefundAsync(ws.Agent());
        var messages = await server.Smtp.WaitForAsync(r.ApprovalId, 3);

        // One person holding both emails still counts as two different recipients, each at most once.
        var browser = server.Anonymous();
        var (first, counted) = await browser.PressAsync(messages.For(a.Email).Link(), "approve");
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Contains("Your approval is counted", counted, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await browser.OpenAsync(messages.For(a.Email).Link())).Status);
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await browser.PressAsync(messages.For(b.Email).Link(), "approve")).Status);
        Assert.Equal("approved", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
        Assert.Equal(new[] { a.UserId, b.UserId }.Order(StringComparer.Ordinal), await DecidersAsync(r.ApprovalId));
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task Expired_unknown_and_forged_links_and_posts_without_the_pages_token_change_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var a = await server.NewMemberAsync(ws);
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var link = (await server.Smtp.WaitForAsync(r.ApprovalId, 2)).For(a.Email).Link();
        var browser = server.Anonymous();
        var (_, page) = await browser.OpenAsync(link);

        // A cross-site form (no antiforgery token) is refused; so are unknown and malformed tokens.
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Anonymous().PostFormAsync(link, "approve", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync("/approvals/email/" + new string('A', 43))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync("/approvals/email/not%20a%20token")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostFormAsync(link, "maybe", EmailLinkSteps.Antiforgery(page))).Status);
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());

        await server.ExpireNowAsync(r.ApprovalId);
        Assert.Equal(HttpStatusCode.Gone, (await browser.OpenAsync(link)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await browser.PostFormAsync(link, "approve", EmailLinkSteps.Antiforgery(page))).Status);
        Assert.Empty(await DecidersAsync(r.ApprovalId));
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task A_refused_relay_is_retried_and_the_token_is_kept_only_as_a_hash_once_sent()
    {
        var ws = await server.NewWorkspaceAsync();
        var flaky = await server.NewMemberAsync(ws, prefix: "flaky");
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var mail = (await server.Smtp.WaitForAsync(r.ApprovalId, 1, m => m.To() == flaky.Email)).Single();
        await EventuallyAsync(async () => await server.ScalarAsync<string>(
            "SELECT status FROM approval_emails WHERE approval_id = @ApprovalId AND user_id = @UserId", new { r.ApprovalId, flaky.UserId }) == "sent",
            TimeSpan.FromSeconds(10), "the email marked sent");
        await using var c = await server.Database.OpenAsync();
        var row = await c.QuerySingleAsync<(long Attempts, string? Sealed, string Hash)>(
            "SELECT attempts, token_sealed, token_hash FROM approval_emails WHERE approval_id = @ApprovalId AND user_id = @UserId",
            new { r.ApprovalId, flaky.UserId });
        Assert.Equal(2, row.Attempts);
        Assert.Null(row.Sealed);
        var token = mail.Link().Split('/').Last();
        Assert.DoesNotContain(token, row.Hash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous().OpenAsync(mail.Link())).Status);
    }
}

public sealed class ApprovalEmailSqliteTests(EmailServer.Sqlite s) : ApprovalEmailTests(s), IClassFixture<EmailServer.Sqlite>;

public sealed class ApprovalEmailPostgresTests(EmailServer.Postgres s) : ApprovalEmailTests(s), IClassFixture<EmailServer.Postgres>;
