using System.Text.Json;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Demo;

public class DemoModeTests
{
    public static TheoryData<string, string> EveryAction() => new()
    {
        { "refund.create", """{"charge": "ch_3NxDemo", "amount": 1500, "reason": "duplicate", "metadata": {"order": "42"}}""" },
        { "charge.retrieve", """{"chargeId": "ch_3NxDemo"}""" },
        { "customer.retrieve", """{"customerId": "cus_Demo"}""" },
        { "refund.retrieve", """{"refundId": "re_Demo", "stripeAccount": "acct_1Demo"}""" },
        { "refund.list", """{"payment_intent": "pi_Demo", "limit": 5}""" },
        { "email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""" },
        { "crm.create_record", """{"objectType": "contacts", "properties": {"email": "a@example.com"}}""" },
        { "crm.update_record", """{"objectType": "deals", "recordId": "512", "properties": {"amount": "10"}}""" },
        { "crm.get_record", """{"objectType": "companies", "recordId": "77"}""" },
        { "crm.search_records", """{"objectType": "deals", "query": "acme"}""" },
        { "ticket.get", """{"ticketId": "35436"}""" },
        { "ticket.update", """{"ticketId": 35436, "updates": {"status": "solved"}, "comment": {"body": "done"}}""" },
        { "ticket.add_comment", """{"ticketId": 35436, "body": "note"}""" },
        { "ticket.create", """{"subject": "Parcel lost", "comment": {"body": "Where?"}, "requester": {"email": "ana@example.com"}}""" },
        { "ticket.search", """{"query": "status:open", "perPage": 10}""" },
        { "slack.post_message", """{"channel": "#support", "text": "hi"}""" },
        { "slack.update_message", """{"channel": "C0123456789", "ts": "1741944413.000200", "text": "hi"}""" },
        { "slack.lookup_user_by_email", """{"email": "ana@example.com"}""" },
        { "sms.send", """{"to": "+14155550123", "body": "hi"}""" },
        { "http.request", """{"path": "/x"}""" },
    };

    [Theory]
    [MemberData(nameof(EveryAction))]
    public void Demo_answers_are_simulated_and_deterministic(string actionType, string payload)
    {
        var first = ConnectorRunner.ExecuteDemo(Request(actionType, payload, null, "act_demo_1"), new FixedTime());
        var again = ConnectorRunner.ExecuteDemo(Request(actionType, payload, null, "act_demo_1"), new FixedTime());
        var other = ConnectorRunner.ExecuteDemo(Request(actionType, payload, null, "act_demo_2"), new FixedTime());

        Assert.True(first.Succeeded);
        Assert.True(first.Simulated);
        Assert.Null(first.Error);
        Assert.Equal(0, first.Attempts);
        Assert.Equal(FixedTime.Default, first.StartedAt);
        Assert.InRange(first.CompletedAt - first.StartedAt, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(480));
        Assert.Equal(Serialize(first), Serialize(again));
        if (actionType is not ("charge.retrieve" or "refund.retrieve" or "customer.retrieve" or "ticket.get" or "crm.get_record" or "crm.update_record" or "ticket.update" or "ticket.add_comment"))
        {
            Assert.NotEqual(first.ResponsePayload!.Value.GetRawText(), other.ResponsePayload!.Value.GetRawText());
        }
    }

    [Fact]
    public void Stripe_refund_looks_like_a_refund_object()
    {
        var refund = Payload("refund.create", """{"charge": "ch_3NxDemo", "amount": 1500, "reason": "duplicate", "metadata": {"order": "42"}}""");

        Assert.Matches("^re_[A-Za-z0-9]{24}$", refund.GetProperty("id").GetString());
        Assert.Equal("refund", refund.GetProperty("object").GetString());
        Assert.Equal(1500, refund.GetProperty("amount").GetInt64());
        Assert.Equal("ch_3NxDemo", refund.GetProperty("charge").GetString());
        Assert.Equal("duplicate", refund.GetProperty("reason").GetString());
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        Assert.Equal("42", refund.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal(FixedTime.Default.ToUnixTimeSeconds(), refund.GetProperty("created").GetInt64());
    }

    [Fact]
    public void Stripe_lookups_echo_the_requested_ids()
    {
        var charge = Payload("charge.retrieve", """{"chargeId": "ch_3NxDemo"}""");
        var customer = Payload("customer.retrieve", """{"customerId": "cus_Demo"}""");

        Assert.Equal("ch_3NxDemo", charge.GetProperty("id").GetString());
        Assert.Equal("charge", charge.GetProperty("object").GetString());
        Assert.Matches("^cus_", charge.GetProperty("customer").GetString());
        Assert.Equal("cus_Demo", customer.GetProperty("id").GetString());
        Assert.EndsWith("@example.com", customer.GetProperty("email").GetString());
    }

    [Fact]
    public void Gmail_answers_with_message_and_thread_ids()
    {
        var sent = Payload("email.send", """{"to": "a@example.com", "subject": "s", "text": "t", "threadId": "18a0000000000001"}""");

        Assert.Matches("^[0-9a-f]{16}$", sent.GetProperty("id").GetString());
        Assert.Equal("18a0000000000001", sent.GetProperty("threadId").GetString());
        Assert.Equal("SENT", sent.GetProperty("labelIds")[0].GetString());
    }

    [Fact]
    public void HubSpot_records_have_numeric_ids_properties_and_timestamps()
    {
        var created = Payload("crm.create_record", """{"objectType": "contacts", "properties": {"email": "a@example.com"}}""");
        var fetched = Payload("crm.get_record", """{"objectType": "deals", "recordId": "512", "properties": ["dealname", "amount"]}""");

        Assert.Matches("^[1-9][0-9]{10}$", created.GetProperty("id").GetString());
        Assert.Equal("a@example.com", created.GetProperty("properties").GetProperty("email").GetString());
        Assert.Equal("2025-03-14T09:26:53.000Z", created.GetProperty("createdAt").GetString());
        Assert.False(created.GetProperty("archived").GetBoolean());
        Assert.Equal("512", fetched.GetProperty("id").GetString());
        Assert.True(fetched.GetProperty("properties").TryGetProperty("amount", out _));
    }

    [Fact]
    public void Zendesk_update_returns_the_changed_ticket_and_its_audit()
    {
        var updated = Payload("ticket.update", """{"ticketId": "35436", "updates": {"status": "solved", "assigneeId": 9}, "comment": {"body": "done", "public": true}}""");

        var ticket = updated.GetProperty("ticket");
        Assert.Equal(35436, ticket.GetProperty("id").GetInt64());
        Assert.Equal("solved", ticket.GetProperty("status").GetString());
        Assert.Equal(9, ticket.GetProperty("assignee_id").GetInt64());
        var comment = updated.GetProperty("audit").GetProperty("events")[0];
        Assert.Equal("Comment", comment.GetProperty("type").GetString());
        Assert.Equal("done", comment.GetProperty("body").GetString());
        Assert.True(comment.GetProperty("public").GetBoolean());
    }

    [Fact]
    public void Slack_and_twilio_answers_look_real()
    {
        var posted = Payload("slack.post_message", """{"channel": "#support", "text": "hi", "threadTs": "1700000000.000100"}""");
        var sms = Payload("sms.send", """{"to": "+14155550123", "body": "hi"}""");

        Assert.True(posted.GetProperty("ok").GetBoolean());
        Assert.Matches(@"^\d{10}\.\d{6}$", posted.GetProperty("ts").GetString());
        Assert.Matches("^C[A-Z0-9]{10}$", posted.GetProperty("channel").GetString());
        Assert.Equal("1700000000.000100", posted.GetProperty("message").GetProperty("thread_ts").GetString());
        Assert.Matches("^SM[0-9a-f]{32}$", sms.GetProperty("sid").GetString());
        Assert.Equal("queued", sms.GetProperty("status").GetString());
        Assert.Equal("+14155550123", sms.GetProperty("to").GetString());
        Assert.Equal("Fri, 14 Mar 2025 09:26:53 +0000", sms.GetProperty("date_created").GetString());
    }

    [Fact]
    public void Demo_mode_validates_like_live_mode()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("sms.send", """{"to": "555-0123"}""", null), new FixedTime());

        Assert.False(result.Succeeded);
        Assert.True(result.Simulated);
        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains("payload.body is required", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_never_echoes_a_secret_even_when_a_credential_is_passed()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("sms.send", """{"to": "+14155550123", "body": "hi"}""", Credentials.Twilio()), new FixedTime());

        Assert.DoesNotContain(Credentials.TwilioToken, Serialize(result), StringComparison.Ordinal);
        Assert.Equal("+15005550006", result.ResponsePayload!.Value.GetProperty("from").GetString());
    }

    private static JsonElement Payload(string actionType, string payload)
    {
        var result = ConnectorRunner.ExecuteDemo(Request(actionType, payload, null), new FixedTime());
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.ResponsePayload!.Value;
    }
}
