using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class ZendeskLiveTests
{
    private static readonly object Ticket = new { ticket = new { id = 35436, subject = "Help", status = "open" } };

    [Fact]
    public async Task Get_uses_api_token_basic_auth_on_the_ticket_path()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Ticket));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.get", """{"ticketId": "35436"}""", Credentials.Zendesk()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(35436, result.ResponsePayload!.Value.GetProperty("ticket").GetProperty("id").GetInt32());
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/api/v2/tickets/35436.json", fake.Single.Path);
        Assert.Equal(("agent@acme.example/token", Credentials.ZendeskToken), fake.Single.BasicAuth());
    }

    [Theory]
    [InlineData("acme-support", "https://acme-support.zendesk.com/")]
    [InlineData("Acme-Support.zendesk.com", "https://acme-support.zendesk.com/")]
    [InlineData("https://acme-support.zendesk.com/", "https://acme-support.zendesk.com/")]
    public void The_subdomain_fills_the_base_url_template(string subdomain, string expected) =>
        Assert.Equal(new Uri(expected), Zendesk.ZendeskConnector.BaseUrl(Credentials.Zendesk(subdomain), new ConnectorOptions()));

    [Theory]
    [InlineData("evil.com/x?")]
    [InlineData("acme.evil.com#")]
    [InlineData("-acme")]
    public async Task A_subdomain_that_is_not_a_dns_label_is_refused_before_any_call(string subdomain)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Ticket));
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());

        var result = await runner.ExecuteLiveAsync(Request("ticket.get", """{"ticketId": 1}""", Credentials.Zendesk(subdomain)), default);

        Assert.Equal(ConnectorErrorCodes.CredentialInvalid, result.Error!.ProviderCode);
        Assert.Equal(0, result.Attempts);
    }

    [Fact]
    public async Task Update_puts_ticket_fields_in_zendesk_names_and_the_comment()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Ticket));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("ticket.update", """
            {"ticketId": 7, "updates": {"status": "solved", "priority": "low", "type": "task", "assigneeId": "11", "groupId": 12,
             "subject": "Refunded", "externalId": null, "tags": ["refund", "vip"]},
             "comment": {"body": "Refund issued.", "public": true}}
            """, Credentials.Zendesk()), default);

        var request = fake.Single;
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/api/v2/tickets/7.json", request.Path);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal(
            """{"ticket":{"status":"solved","priority":"low","type":"task","subject":"Refunded","tags":["refund","vip"],"assignee_id":11,"group_id":12,"external_id":null,"comment":{"body":"Refund issued.","public":true}}}""",
            request.BodyText);
    }

    [Fact]
    public async Task Add_comment_is_private_unless_asked()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Ticket));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("ticket.add_comment", """{"ticketId": 7, "body": "Internal note"}""", Credentials.Zendesk()), default);

        Assert.Equal("PUT", fake.Single.Method);
        Assert.Equal("""{"ticket":{"comment":{"body":"Internal note","public":false}}}""", fake.Single.BodyText);
    }

    [Fact]
    public async Task Zendesk_errors_carry_the_error_code_description_details_and_request_id()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(422,
            new { error = "RecordInvalid", description = "Record validation errors", details = new { status = new[] { new { description = "Status: closed prevents ticket update" } } } },
            new Dictionary<string, string> { ["X-Zendesk-Request-Id"] = "zd-req-1" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.update", """{"ticketId": 7, "updates": {"status": "open"}}""", Credentials.Zendesk()), default);

        Assert.Equal(new ConnectorError("zendesk refused the request with HTTP 422: Record validation errors: Status: closed prevents ticket update", 422, "RecordInvalid", "zd-req-1"), result.Error);
    }

    [Fact]
    public async Task Not_found_and_auth_errors_read_in_both_zendesk_shapes()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(404, new { error = "RecordNotFound", description = "Not found" })
            : FakeResponse.Json(401, new { error = "Couldn't authenticate you" }));
        using var runner = Runner(fake);

        var missing = await runner.ExecuteLiveAsync(Request("ticket.get", """{"ticketId": 1}""", Credentials.Zendesk()), default);
        var denied = await runner.ExecuteLiveAsync(Request("ticket.get", """{"ticketId": 1}""", Credentials.Zendesk()), default);

        Assert.Equal("RecordNotFound", missing.Error!.ProviderCode);
        Assert.Equal("http_401", denied.Error!.ProviderCode);
        Assert.Equal("zendesk refused the request with HTTP 401: Couldn't authenticate you", denied.Error.Message);
    }

    [Fact]
    public async Task A_field_update_is_retried_but_an_update_adding_a_comment_is_not()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i is 0 or 1 ? new FakeResponse(503, "Service Unavailable") : FakeResponse.Json(200, Ticket));
        using var runner = Runner(fake);

        var withComment = await runner.ExecuteLiveAsync(Request("ticket.add_comment", """{"ticketId": 7, "body": "x"}""", Credentials.Zendesk()), default);
        var fieldsOnly = await runner.ExecuteLiveAsync(Request("ticket.update", """{"ticketId": 7, "updates": {"priority": "high"}}""", Credentials.Zendesk()), default);

        Assert.False(withComment.Succeeded);
        Assert.Equal(1, withComment.Attempts);
        Assert.Equal("zendesk failed with HTTP 503: Service Unavailable", withComment.Error!.Message);
        Assert.True(fieldsOnly.Succeeded);
        Assert.Equal(2, fieldsOnly.Attempts);
    }

    [Fact]
    public async Task Verify_reads_the_current_user_and_refuses_anonymous()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(200, new { user = new { id = 9, email = "agent@acme.example", role = "admin" } })
            : FakeResponse.Json(200, new { user = new { id = (int?)null, name = "Anonymous user" } }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Zendesk(), default);
        var anonymous = await runner.VerifyAsync(Credentials.Zendesk(), default);

        Assert.Equal(new VerifyResult(true, "zendesk accepted the api token for agent@acme.example (admin)", 200), verified);
        Assert.Equal("/api/v2/users/me.json", fake.Requests[0].Path);
        Assert.False(anonymous.Ok);
    }
}
