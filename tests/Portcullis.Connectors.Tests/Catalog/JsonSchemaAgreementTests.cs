extern alias JsonSchemaNet;

using System.Text.Json;
using JsonSchemaNet::Json.Schema;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Catalog;

/// <summary>
/// The JSON Schemas the descriptors generate are valid draft 2020-12, and a standard validator (JsonSchema.Net)
/// accepts and refuses the same payloads as the catalog's own validation.
/// </summary>
public class JsonSchemaAgreementTests
{
    private static readonly EvaluationOptions Options = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    public static TheoryData<string> ActionTypes() =>
        new(ConnectorCatalog.All.SelectMany(d => d.Actions).Select(a => a.ActionType));

    [Theory]
    [MemberData(nameof(ActionTypes))]
    public void The_generated_schema_is_valid_draft_2020_12(string actionType)
    {
        var schema = SchemaOf(actionType);
        var result = MetaSchemas.Draft202012.Evaluate(schema, Options);
        Assert.True(result.IsValid, JsonSerializer.Serialize(result));
        Assert.NotNull(JsonSchema.FromText(schema.GetRawText()));
    }

    [Theory]
    [InlineData("refund.create", true, """{"charge": "ch_1"}""")]
    [InlineData("refund.create", true, """{"payment_intent": "pi_1", "amount": 500, "reason": "duplicate", "metadata": {"order": "42"}}""")]
    [InlineData("refund.create", false, """{"amount": 100}""")]
    [InlineData("refund.create", false, """{"charge": "ch_1", "payment_intent": "pi_1"}""")]
    [InlineData("refund.create", false, """{"charge": "ch_1", "amount": 0}""")]
    [InlineData("refund.create", false, """{"charge": "ch_1", "ammount": 5}""")]
    [InlineData("refund.create", false, """{"charge": "ch_1", "reason": "because"}""")]
    [InlineData("refund.create", false, """{"charge": "ch_1", "metadata": {"b[1]": "x"}}""")]
    [InlineData("charge.retrieve", true, """{"chargeId": "ch_1"}""")]
    [InlineData("charge.retrieve", false, """{}""")]
    [InlineData("charge.retrieve", false, """{"chargeId": 5}""")]
    [InlineData("charge.retrieve", false, """{"chargeId": " "}""")]
    [InlineData("customer.retrieve", true, """{"customerId": "cus_1"}""")]
    [InlineData("customer.retrieve", false, """{"customerId": ""}""")]
    [InlineData("email.send", true, """{"to": "a@example.com", "subject": "Hi", "text": "Hello"}""")]
    [InlineData("email.send", true, """{"to": ["a@example.com", "b@example.org"], "subject": "", "html": "<p>x</p>", "cc": "c@example.com"}""")]
    [InlineData("email.send", false, """{"to": [], "subject": "x", "text": "x"}""")]
    [InlineData("email.send", false, """{"to": "a@example.com", "subject": "x"}""")]
    [InlineData("email.send", false, """{"to": "not-an-address", "subject": "x", "text": "x"}""")]
    [InlineData("email.send", false, """{"to": "a@example.com", "subject": "a\r\nBcc: b@example.com", "text": "x"}""")]
    [InlineData("email.send", false, """{"to": "a@example.com", "subject": "x", "text": "x", "inReplyTo": "a b"}""")]
    [InlineData("email.send", true, """{"to": ["Ana Pérez <ana@example.com>", "\"Bo, Jr.\" <bo@example.org>"], "subject": "x", "text": "x", "references": ["<m1@x.example>"]}""")]
    [InlineData("email.send", false, """{"to": "Ana <ana@example.com", "subject": "x", "text": "x"}""")]
    [InlineData("mqtt.publish", true, """{"topic": "site/berlin/door/3", "payload": "unlock", "qos": 2, "retain": true}""")]
    [InlineData("mqtt.publish", true, """{"topic": "a", "payload": {"command": "unlock", "seconds": [1, 2]}}""")]
    [InlineData("mqtt.publish", false, """{"topic": "site/+/door", "payload": "x"}""")]
    [InlineData("mqtt.publish", false, """{"topic": "site/#", "payload": "x"}""")]
    [InlineData("mqtt.publish", false, """{"topic": "$SYS/uptime", "payload": "x"}""")]
    [InlineData("mqtt.publish", false, """{"topic": "a", "payload": "x", "qos": 3}""")]
    [InlineData("mqtt.publish", false, """{"topic": "a", "payload": "x", "qos": 1.5}""")]
    [InlineData("refund.retrieve", true, """{"refundId": "re_1", "stripeAccount": "acct_1Abc"}""")]
    [InlineData("refund.retrieve", false, """{"refundId": "re_1", "stripeAccount": "acct_"}""")]
    [InlineData("refund.list", true, """{"payment_intent": "pi_1", "limit": 100, "starting_after": "re_9"}""")]
    [InlineData("refund.list", false, """{"charge": "ch_1", "limit": 101}""")]
    [InlineData("refund.list", false, """{"limit": 10}""")]
    [InlineData("charge.retrieve", false, """{"chargeId": "ch_1", "stripeAccount": "acct_1 x"}""")]
    [InlineData("mqtt.publish", false, """{"topic": "a"}""")]
    [InlineData("crm.create_record", true, """{"objectType": "contacts", "properties": {"email": "a@example.com", "age": 42, "vip": true, "notes": null}}""")]
    [InlineData("crm.create_record", false, """{"objectType": "leads", "properties": {"a": "b"}}""")]
    [InlineData("crm.create_record", false, """{"objectType": "deals", "properties": {}}""")]
    [InlineData("crm.create_record", false, """{"objectType": "deals", "properties": {"a": {"nested": 1}}}""")]
    [InlineData("crm.update_record", true, """{"objectType": "deals", "recordId": "123", "properties": {"amount": "1500"}}""")]
    [InlineData("crm.update_record", false, """{"objectType": "deals", "properties": {"amount": "1500"}}""")]
    [InlineData("crm.search_records", true, """{"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "a@example.com"}]}], "limit": 200, "after": "10"}""")]
    [InlineData("crm.search_records", false, """{"objectType": "contacts", "limit": 201}""")]
    [InlineData("crm.search_records", false, """{"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE"}]}]}""")]
    [InlineData("crm.create_record", true, """{"objectType": "contacts", "properties": {"email": "a@example.com"}, "associations": [{"toId": "7", "associationTypeId": 279}]}""")]
    [InlineData("crm.create_record", false, """{"objectType": "contacts", "properties": {"email": "a@example.com"}, "associations": [{"toId": "7"}]}""")]
    [InlineData("crm.get_record", true, """{"objectType": "companies", "recordId": "9", "properties": ["name", "domain"]}""")]
    [InlineData("crm.get_record", false, """{"objectType": "companies", "recordId": "9", "properties": ["a", "b,c"]}""")]
    [InlineData("ticket.get", true, """{"ticketId": 35436}""")]
    [InlineData("ticket.get", true, """{"ticketId": "35436"}""")]
    [InlineData("ticket.get", false, """{"ticketId": 0}""")]
    [InlineData("ticket.get", false, """{"ticketId": "12a"}""")]
    [InlineData("ticket.get", false, """{"ticketId": 1.5}""")]
    [InlineData("ticket.update", true, """{"ticketId": 1, "updates": {"status": "solved", "assigneeId": null, "externalId": null, "tags": ["a", "b"]}}""")]
    [InlineData("ticket.update", true, """{"ticketId": 1, "comment": {"body": "done", "public": true}}""")]
    [InlineData("ticket.update", true, """{"ticketId": 1, "updates": {}, "comment": {"body": "done"}}""")]
    [InlineData("ticket.update", false, """{"ticketId": 1}""")]
    [InlineData("ticket.update", false, """{"ticketId": 1, "updates": {}}""")]
    [InlineData("ticket.update", false, """{"ticketId": 1, "updates": {"status": "done"}}""")]
    [InlineData("ticket.update", false, """{"ticketId": 1, "updates": {"tags": ["two words"]}}""")]
    [InlineData("ticket.update", false, """{"ticketId": 1, "comment": {"public": true}}""")]
    [InlineData("ticket.create", true, """{"subject": "s", "comment": {"body": "b", "public": false}, "requester": {"email": "ana@example.com", "name": "Ana"}, "groupId": "7", "tags": ["vip"]}""")]
    [InlineData("ticket.create", false, """{"subject": "s", "comment": {"public": true}}""")]
    [InlineData("ticket.create", false, """{"subject": "s", "comment": {"body": "b"}, "requester": {"email": "nope"}}""")]
    [InlineData("ticket.search", true, """{"query": "status:open", "sortBy": "created_at", "sortOrder": "asc", "page": 3, "perPage": 100}""")]
    [InlineData("ticket.search", false, """{"query": "x", "perPage": 101}""")]
    [InlineData("ticket.search", false, """{"query": "x", "sortBy": "subject"}""")]
    [InlineData("ticket.add_comment", true, """{"ticketId": 1, "body": "internal note"}""")]
    [InlineData("ticket.add_comment", false, """{"ticketId": "abc", "body": "x", "public": 1}""")]
    [InlineData("slack.post_message", true, """{"channel": "C123", "text": "hi", "threadTs": "1700000000.000100"}""")]
    [InlineData("slack.post_message", true, """{"channel": "#general", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}""")]
    [InlineData("slack.post_message", false, """{"channel": "C1"}""")]
    [InlineData("slack.post_message", false, """{"channel": "C1", "blocks": []}""")]
    [InlineData("slack.post_message", false, """{"channel": "C1", "blocks": [{"text": "no type"}]}""")]
    [InlineData("slack.update_message", true, """{"channel": "C1", "ts": "1741944413.000200", "blocks": [{"type": "divider"}]}""")]
    [InlineData("slack.update_message", false, """{"channel": "C1", "ts": "1.2"}""")]
    [InlineData("slack.lookup_user_by_email", true, """{"email": "ana@example.com"}""")]
    [InlineData("slack.lookup_user_by_email", false, """{"email": "ana"}""")]
    [InlineData("sms.send", true, """{"to": "+14155550123", "body": "hi", "messagingServiceSid": "MG0123456789abcdef0123456789abcdef", "mediaUrl": ["https://cdn.example.com/a.png"]}""")]
    [InlineData("sms.send", false, """{"to": "+14155550123", "body": "hi", "from": "+14155550124", "messagingServiceSid": "MG0123456789abcdef0123456789abcdef"}""")]
    [InlineData("sms.send", false, """{"to": "+14155550123", "body": "hi", "mediaUrl": ["ftp://cdn.example.com/a.png"]}""")]
    [InlineData("sms.send", true, """{"to": "+14155550123", "body": "Your code is 1234"}""")]
    [InlineData("sms.send", false, """{"to": "4155550123", "body": "x"}""")]
    [InlineData("sms.send", false, """{"to": "+14155550123", "body": "x", "from": "+0123"}""")]
    [InlineData("http.request", true, """{"path": "/hooks/orders"}""")]
    [InlineData("http.request", true, """{"path": "/v1/items?id=3", "method": "PUT", "body": {"a": [1, 2]}, "headers": {"X-Trace": "abc"}}""")]
    [InlineData("http.request", false, """{"path": "hooks"}""")]
    [InlineData("http.request", false, """{"path": "//evil.example.com/x"}""")]
    [InlineData("http.request", false, """{"path": "/x", "method": "TRACE"}""")]
    [InlineData("http.request", false, """{"path": "/x", "method": "GET", "body": {"a": 1}}""")]
    [InlineData("http.request", false, """{"path": "/x", "headers": {"X-Bad": 2}}""")]
    [InlineData("http.request", false, """{"path": "/x", "headers": {"Bad Name": "v"}}""")]
    public void The_schema_and_the_validation_agree(string actionType, bool valid, string payload)
    {
        var errors = ActionCatalog.Validate(actionType, Json(payload));
        Assert.True(valid == (errors.Count == 0), string.Join("; ", errors));
        var result = JsonSchema.FromText(SchemaOf(actionType).GetRawText()).Evaluate(Json(payload), Options);
        Assert.True(valid == result.IsValid, JsonSerializer.Serialize(result));
    }

    [Fact]
    public void Every_action_has_agreement_cases() =>
        Assert.All(ConnectorCatalog.All.SelectMany(d => d.Actions), a => Assert.Contains(a.ActionType, CasesCovered));

    private static readonly string[] CasesCovered = typeof(JsonSchemaAgreementTests)
        .GetMethod(nameof(The_schema_and_the_validation_agree))!
        .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
        .Select(d => (string)d.GetData(null!).First()[0]).Distinct().ToArray();

    private static JsonElement SchemaOf(string actionType) => JsonSerializer.SerializeToElement(
        ConnectorCatalog.All.SelectMany(d => d.Actions).Single(a => a.ActionType == actionType).InputSchema());
}
