using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Catalog;

public class ActionCatalogTests
{
    [Fact]
    public void Providers_are_the_eight_built_in_ones_in_order() =>
        Assert.Equal(["stripe", "gmail", "hubspot", "zendesk", "slack", "twilio", "webhook", "mqtt"], ActionCatalog.Providers);

    [Theory]
    [InlineData("refund.create", "stripe")]
    [InlineData("charge.retrieve", "stripe")]
    [InlineData("customer.retrieve", "stripe")]
    [InlineData("email.send", "gmail")]
    [InlineData("crm.create_record", "hubspot")]
    [InlineData("crm.update_record", "hubspot")]
    [InlineData("crm.get_record", "hubspot")]
    [InlineData("ticket.get", "zendesk")]
    [InlineData("ticket.update", "zendesk")]
    [InlineData("ticket.add_comment", "zendesk")]
    [InlineData("slack.post_message", "slack")]
    [InlineData("sms.send", "twilio")]
    [InlineData("http.request", "webhook")]
    public void Every_built_in_action_maps_to_its_provider(string actionType, string provider)
    {
        Assert.True(ActionCatalog.TryGetProvider(actionType, out var found));
        Assert.Equal(provider, found);
        Assert.Contains(actionType, ActionCatalog.ActionsOf(provider));
    }

    [Fact]
    public void Custom_action_types_have_no_provider_and_no_schema()
    {
        Assert.False(ActionCatalog.TryGetProvider("invoice.void", out var provider));
        Assert.Equal("", provider);
        Assert.Empty(ActionCatalog.Validate("invoice.void", Json("""{"anything": 1}""")));
        Assert.Empty(ActionCatalog.ActionsOf("salesforce"));
    }

    [Fact]
    public void ActionsOf_lists_each_providers_actions() =>
        Assert.Equal(["ticket.get", "ticket.update", "ticket.add_comment", "ticket.create", "ticket.search"], ActionCatalog.ActionsOf("zendesk"));

    [Theory]
    [InlineData("refund.create", """{"charge": "ch_1"}""")]
    [InlineData("refund.create", """{"payment_intent": "pi_1", "amount": 500, "reason": "requested_by_customer", "metadata": {"order": "42"}}""")]
    [InlineData("charge.retrieve", """{"chargeId": "ch_1"}""")]
    [InlineData("customer.retrieve", """{"customerId": "cus_1"}""")]
    [InlineData("email.send", """{"to": "a@example.com", "subject": "Hi", "text": "Hello"}""")]
    [InlineData("email.send", """{"to": ["a@example.com", "b@example.org"], "subject": "", "html": "<p>x</p>", "cc": "c@example.com", "bcc": ["d@example.com"], "threadId": "18c1", "inReplyTo": "<m1@mail.example.com>"}""")]
    [InlineData("crm.create_record", """{"objectType": "contacts", "properties": {"email": "a@example.com", "age": 42, "vip": true, "notes": null}}""")]
    [InlineData("crm.update_record", """{"objectType": "deals", "recordId": "123", "properties": {"amount": "1500"}}""")]
    [InlineData("crm.get_record", """{"objectType": "companies", "recordId": "9", "properties": ["name", "domain"]}""")]
    [InlineData("crm.get_record", """{"objectType": "tickets", "recordId": "9"}""")]
    [InlineData("ticket.get", """{"ticketId": 35436}""")]
    [InlineData("ticket.get", """{"ticketId": "35436"}""")]
    [InlineData("ticket.update", """{"ticketId": 1, "updates": {"status": "solved", "priority": "high", "type": "incident", "assigneeId": 7, "groupId": "8", "subject": "s", "externalId": null, "tags": ["a", "b"]}}""")]
    [InlineData("ticket.update", """{"ticketId": 1, "comment": {"body": "done", "public": true}}""")]
    [InlineData("ticket.add_comment", """{"ticketId": 1, "body": "internal note"}""")]
    [InlineData("slack.post_message", """{"channel": "C123", "text": "hi", "threadTs": "1700000000.000100"}""")]
    [InlineData("slack.post_message", """{"channel": "#general", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}""")]
    [InlineData("sms.send", """{"to": "+14155550123", "body": "Your code is 1234"}""")]
    [InlineData("sms.send", """{"to": "+447700900123", "body": "x", "from": "+15005550006"}""")]
    [InlineData("http.request", """{"path": "/hooks/orders"}""")]
    [InlineData("http.request", """{"path": "/v1/items?id=3", "method": "PUT", "body": {"a": [1, 2]}, "headers": {"X-Trace": "abc"}}""")]
    public void Valid_payloads_have_no_errors(string actionType, string payload) =>
        Assert.Empty(ActionCatalog.Validate(actionType, Json(payload)));

    [Theory]
    [InlineData("refund.create")]
    [InlineData("email.send")]
    [InlineData("crm.get_record")]
    [InlineData("ticket.update")]
    [InlineData("slack.post_message")]
    [InlineData("sms.send")]
    [InlineData("http.request")]
    public void A_payload_that_is_not_an_object_is_refused(string actionType) =>
        Assert.Equal([new FieldError("payload", "must be an object")], ActionCatalog.Validate(actionType, Json("[1]")));

    [Fact]
    public void Refund_names_every_offending_field() => AssertErrors("refund.create",
        """{"charge": 12, "amount": -5, "reason": "because", "metadata": {"a": 1, "b[1]": "x"}, "ammount": 5}""",
        ("payload.ammount", "is not an allowed field"),
        ("payload.charge", "must be a string"),
        ("payload.amount", "must be a positive integer"),
        ("payload.reason", "must be one of `duplicate`, `fraudulent`, `requested_by_customer`"),
        ("payload.metadata.a", "must be a string"),
        ("payload.metadata.b[1]", "key must be 1 to 40 characters without `[` or `]`"));

    [Fact]
    public void Refund_needs_exactly_one_of_charge_or_payment_intent()
    {
        AssertErrors("refund.create", """{"amount": 100}""", ("payload.charge", "one of `charge` or `payment_intent` is required"));
        AssertErrors("refund.create", """{"charge": "ch_1", "payment_intent": "pi_1"}""", ("payload.payment_intent", "must not be set together with `charge`"));
    }

    [Fact]
    public void Refund_amount_must_be_an_integer_in_the_smallest_unit()
    {
        AssertErrors("refund.create", """{"charge": "ch_1", "amount": 10.5}""", ("payload.amount", "must be a positive integer"));
        AssertErrors("refund.create", """{"charge": "ch_1", "amount": "100"}""", ("payload.amount", "must be a positive integer"));
        AssertErrors("refund.create", """{"charge": "ch_1", "amount": 0}""", ("payload.amount", "must be a positive integer"));
    }

    [Fact]
    public void Refund_metadata_keys_follow_stripe_limits() => AssertErrors("refund.create",
        """{"charge": "ch_1", "metadata": {"b[1]": "x"}}""",
        ("payload.metadata.b[1]", "key must be 1 to 40 characters without `[` or `]`"));

    [Fact]
    public void Duplicate_fields_are_refused() =>
        AssertErrors("charge.retrieve", """{"chargeId": "ch_1", "chargeId": "ch_2"}""", ("payload.chargeId", "is set more than once"));

    [Theory]
    [InlineData("charge.retrieve", "chargeId")]
    [InlineData("customer.retrieve", "customerId")]
    public void Stripe_lookups_need_their_id(string actionType, string field)
    {
        AssertErrors(actionType, "{}", ($"payload.{field}", "is required"));
        AssertErrors(actionType, $$"""{"{{field}}": 5}""", ($"payload.{field}", "must be a string"));
        AssertErrors(actionType, $$"""{"{{field}}": " "}""", ($"payload.{field}", "must not be empty"));
    }

    [Fact]
    public void Email_names_every_offending_field() => AssertErrors("email.send",
        """{"to": ["ok@example.com", "not-an-address", 7], "subject": "line\r\nBcc: evil@example.com", "cc": "x@", "bcc": {}, "inReplyTo": "a b"}""",
        ("payload.to[1]", "must be an email address"),
        ("payload.to[2]", "must be a string"),
        ("payload.cc", "must be an email address"),
        ("payload.bcc", "must be a string or an array of strings"),
        ("payload.subject", "must not contain line breaks"),
        ("payload.text", "one of `text` or `html` is required"),
        ("payload.inReplyTo", "must be a message id without spaces"));

    [Fact]
    public void Email_requires_recipients_and_subject() => AssertErrors("email.send", """{"to": [], "text": "x"}""",
        ("payload.to", "must not be empty"),
        ("payload.subject", "is required"));

    [Fact]
    public void Crm_records_name_every_offending_field()
    {
        AssertErrors("crm.create_record", """{"objectType": "leads", "properties": {"a": {"nested": 1}}}""",
            ("payload.objectType", "must be one of `contacts`, `companies`, `deals`, `tickets`"),
            ("payload.properties.a", "must be a string, number, boolean or null"));
        AssertErrors("crm.update_record", """{"objectType": "deals", "properties": {}}""",
            ("payload.recordId", "is required"),
            ("payload.properties", "must not be empty"));
        AssertErrors("crm.get_record", """{"objectType": "deals", "recordId": 5, "properties": ["a", "b,c", 3]}""",
            ("payload.recordId", "must be a string"),
            ("payload.properties[1]", "must be a property name"),
            ("payload.properties[2]", "must be a string"));
    }

    [Fact]
    public void Ticket_ids_are_positive_integers_or_numeric_strings()
    {
        foreach (var bad in new[] { "0", "-3", "\"12a\"", "\"\"", "1.5", "true" })
        {
            AssertErrors("ticket.get", $$"""{"ticketId": {{bad}}}""", ("payload.ticketId", "must be a positive integer or a numeric string"));
        }

        AssertErrors("ticket.get", "{}", ("payload.ticketId", "is required"));
    }

    [Fact]
    public void Ticket_update_names_every_offending_field() => AssertErrors("ticket.update",
        """{"ticketId": 1, "updates": {"status": "done", "priority": "p1", "type": "bug", "assigneeId": "x", "tags": ["ok", "two words"], "due": 1}, "comment": {"public": "yes"}}""",
        ("payload.updates.due", "is not an allowed field"),
        ("payload.updates.status", "must be one of `new`, `open`, `pending`, `hold`, `solved`, `closed`"),
        ("payload.updates.priority", "must be one of `urgent`, `high`, `normal`, `low`"),
        ("payload.updates.type", "must be one of `problem`, `incident`, `question`, `task`"),
        ("payload.updates.tags[1]", "must be a tag without spaces"),
        ("payload.updates.assigneeId", "must be a positive integer or a numeric string"),
        ("payload.comment.body", "is required"),
        ("payload.comment.public", "must be a boolean"));

    [Fact]
    public void Ticket_update_needs_updates_or_comment()
    {
        AssertErrors("ticket.update", """{"ticketId": 1}""", ("payload.updates", "one of `updates` or `comment` is required"));
        AssertErrors("ticket.update", """{"ticketId": 1, "updates": {}}""", ("payload.updates", "must not be empty"));
    }

    [Fact]
    public void Ticket_add_comment_names_every_offending_field() => AssertErrors("ticket.add_comment",
        """{"ticketId": "abc", "public": 1}""",
        ("payload.ticketId", "must be a positive integer or a numeric string"),
        ("payload.body", "is required"),
        ("payload.public", "must be a boolean"));

    [Fact]
    public void Slack_message_names_every_offending_field()
    {
        AssertErrors("slack.post_message", """{"threadTs": 5}""",
            ("payload.channel", "is required"),
            ("payload.text", "one of `text` or `blocks` is required"),
            ("payload.threadTs", "must be a string"));
        AssertErrors("slack.post_message", """{"channel": "C1", "blocks": [{"text": "no type"}]}""",
            ("payload.blocks", "must be an array of 1 to 50 block objects, each with a `type`"));
    }

    [Fact]
    public void Sms_names_every_offending_field()
    {
        AssertErrors("sms.send", $$"""{"to": "4155550123", "body": "{{new string('x', 1601)}}", "from": "+0123"}""",
            ("payload.to", "must be a phone number in e.164 format, e.g. `+14155550123`"),
            ("payload.body", "must be at most 1600 characters"),
            ("payload.from", "must be a phone number in e.164 format, e.g. `+14155550123`"));
        AssertErrors("sms.send", "{}", ("payload.to", "is required"), ("payload.body", "is required"));
    }

    [Theory]
    [InlineData("https://evil.example.com/steal", "must be a path, not an absolute url")]
    [InlineData("http://evil.example.com", "must be a path, not an absolute url")]
    [InlineData("//evil.example.com/x", "must start with `/` (a single slash)")]
    [InlineData("hooks", "must start with `/` (a single slash)")]
    [InlineData("/a/../../admin", "must not contain `.` or `..` segments")]
    [InlineData("/a/%2e%2e/admin", "must not contain `.` or `..` segments")]
    [InlineData("/a\\b", "must not contain spaces, backslashes, `#` or control characters")]
    [InlineData("/a b", "must not contain spaces, backslashes, `#` or control characters")]
    public void Webhook_path_cannot_leave_the_base_url(string path, string message) =>
        AssertErrors("http.request", $$"""{"path": {{System.Text.Json.JsonSerializer.Serialize(path)}}}""", ("payload.path", message));

    [Fact]
    public void Webhook_names_every_offending_field() => AssertErrors("http.request",
        """{"method": "TRACE", "headers": {"Authorization": "Bearer mine", "host": "evil", "X-Ok": "1", "X-Bad": 2, "Bad Name": "v"}}""",
        ("payload.path", "is required"),
        ("payload.method", "must be one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`"),
        ("payload.headers.X-Bad", "must be a string"),
        ("payload.headers.Authorization", "must not set `Authorization`: portcullis sets it"),
        ("payload.headers.host", "must not set `host`: portcullis sets it"),
        ("payload.headers.Bad Name", "must be a valid header name"));

    [Fact]
    public void Webhook_get_cannot_carry_a_body() =>
        AssertErrors("http.request", """{"path": "/x", "method": "GET", "body": {"a": 1}}""", ("payload.body", "is not allowed with `GET`"));

    private static void AssertErrors(string actionType, string payload, params (string Field, string Message)[] expected)
    {
        var actual = ActionCatalog.Validate(actionType, Json(payload));
        Assert.Equal(
            expected.Select(e => new FieldError(e.Field, e.Message)).OrderBy(e => e.Field, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal),
            actual.OrderBy(e => e.Field, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal));
        // House style: lowercase messages; user input and allowed values sit in backticks as written.
        Assert.All(actual, e =>
        {
            var prose = System.Text.RegularExpressions.Regex.Replace(e.Message, "`[^`]*`", "");
            Assert.Equal(prose.ToLowerInvariant(), prose);
        });
    }
}
