using System.Buffers.Text;
using System.Text;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;
using InternetAddressList = MimeKit.InternetAddressList;

namespace Portcullis.Connectors.Tests.Providers;

public class GmailMessageTests
{
    private static readonly object Sent = new { id = "18c6f0a1b2c3d4e5", threadId = "18c6f0a1b2c3d4e5", labelIds = new[] { "SENT" } };

    private static async Task<string> SendAsync(string payload)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        using var runner = Runner(fake);
        var result = await runner.ExecuteLiveAsync(Request("email.send", payload, Credentials.Gmail()), default);
        Assert.True(result.Succeeded, result.Error?.Message);
        return Encoding.ASCII.GetString(Base64Url.DecodeFromChars(fake.Single.Json.GetProperty("raw").GetString()!));
    }

    [Fact]
    public async Task Recipients_with_display_names_are_encoded_per_rfc_2047()
    {
        var raw = await SendAsync("""
            {"to": ["\"Ana Pérez\" <ana@example.com>", "bo@example.org"], "cc": "Zoë Ünal-Þórsdóttir von Großmann-Çelik <zoe@example.com>",
             "subject": "Hi", "text": "t"}
            """);

        var message = MimeReader.Parse(raw);
        var to = InternetAddressList.Parse(message.Header("To")!).Mailboxes.ToList();
        Assert.Equal([("Ana Pérez", "ana@example.com"), ("", "bo@example.org")], to.Select(m => (m.Name, m.Address)));
        var cc = Assert.Single(InternetAddressList.Parse(message.Header("Cc")!).Mailboxes);
        Assert.Equal(("Zoë Ünal-Þórsdóttir von Großmann-Çelik", "zoe@example.com"), (cc.Name, cc.Address));
        Assert.All(raw.Split("\r\n"), line => Assert.True(line.Length <= 78, $"line of {line.Length}: {line}"));
        Assert.All(raw.Split("\r\n").Where(l => l.Contains("=?", StringComparison.Ordinal)), l => Assert.True(l.Length <= 76, $"encoded-word line of {l.Length}: {l}"));
        Assert.DoesNotContain("Pérez", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ana <ana@example.com>, eve@example.com")]
    [InlineData("Ana <ana@example.com>\r\nBcc: eve@example.com")]
    [InlineData("Ana <ana@localhost>")]
    [InlineData("Team: ana@example.com, bo@example.com;")]
    public void A_display_name_form_cannot_smuggle_recipients_or_headers(string to)
    {
        var errors = ActionCatalog.Validate("email.send", Json(Serialize(new { to, subject = "s", text = "t" })));

        Assert.Contains(errors, e => e.Field == "payload.to");
    }

    [Fact]
    public async Task A_thread_reply_sets_in_reply_to_and_the_whole_references_chain()
    {
        var raw = await SendAsync("""
            {"to": "ana@example.com", "subject": "Re: Your refund", "text": "t", "threadId": "18c6f0a1b2c3d4e5",
             "inReplyTo": "<m2@mail.example.com>", "references": ["<m1@mail.example.com>", "m2@mail.example.com"]}
            """);

        var message = MimeReader.Parse(raw);
        Assert.Equal("<m2@mail.example.com>", message.Header("In-Reply-To"));
        Assert.Equal("<m1@mail.example.com> <m2@mail.example.com>", message.Header("References"));
    }

    [Fact]
    public async Task The_message_names_neither_a_sender_nor_this_host_gmail_sets_both()
    {
        var raw = await SendAsync("""{"to": "ana@example.com", "subject": "s", "text": "t"}""");

        var message = MimeReader.Parse(raw);
        Assert.Equal(0, message.Count("From") + message.Count("Message-Id"));
        Assert.DoesNotContain(Environment.MachineName, raw, StringComparison.OrdinalIgnoreCase);
    }
}
