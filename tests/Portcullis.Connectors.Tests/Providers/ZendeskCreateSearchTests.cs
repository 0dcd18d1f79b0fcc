using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

/// <summary><c>ticket.create</c> and <c>ticket.search</c> against a fake Zendesk.</summary>
public class ZendeskCreateSearchTests
{
    private static readonly object Created = new { ticket = new { id = 35437, subject = "Parcel lost", status = "new" } };
    private static readonly object Found = new { results = new[] { new { id = 35436, result_type = "ticket" } }, count = 1, next_page = (string?)null };

    [Fact]
    public async Task Create_posts_the_ticket_in_zendesk_names_with_its_first_comment_and_requester()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Created));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.create",
            """{"subject": "Parcel lost", "comment": {"body": "Where is it?"}, "requester": {"email": "ana@example.com", "name": "Ana Pérez"}, "priority": "high", "type": "problem", "groupId": "77", "externalId": "order-17", "tags": ["vip"]}""",
            Credentials.Zendesk()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("POST", fake.Single.Method);
        Assert.Equal("/api/v2/tickets.json", fake.Single.Path);
        Assert.Equal(("agent@acme.example/token", Credentials.ZendeskToken), fake.Single.BasicAuth());
        Assert.Equal(
            """{"ticket":{"priority":"high","type":"problem","subject":"Parcel lost","tags":["vip"],"group_id":77,"external_id":"order-17","comment":{"body":"Where is it?","public":true},"requester":{"name":"Ana P\u00E9rez","email":"ana@example.com"}}}""",
            fake.Single.BodyText);
    }

    [Fact]
    public async Task Create_with_an_internal_note_and_no_requester_sends_only_those_fields()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Created));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("ticket.create", """{"subject": "s", "comment": {"body": "b", "public": false}}""", Credentials.Zendesk()), default);

        Assert.Equal("""{"ticket":{"subject":"s","comment":{"body":"b","public":false}}}""", fake.Single.BodyText);
    }

    [Fact]
    public async Task A_failed_create_is_never_resent()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(503, new { error = "Unavailable" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.create", """{"subject": "s", "comment": {"body": "b"}}""", Credentials.Zendesk()), default);

        Assert.False(result.Succeeded);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData("""{"comment": {"body": "b"}}""", "payload.subject")]
    [InlineData("""{"subject": "s", "comment": {"body": "b"}, "requester": {"email": "nope"}}""", "payload.requester.email must be an email address")]
    [InlineData("""{"subject": "s", "comment": {"body": "b"}, "status": "done"}""", "payload.status must be one of")]
    public async Task Invalid_create_payloads_never_reach_zendesk(string payload, string problem)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Created));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.create", payload, Credentials.Zendesk()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains(problem, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Search_gets_the_search_endpoint_restricted_to_tickets_with_paging()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Found));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.search",
            """{"query": "status:open requester:ana@example.com", "sortBy": "updated_at", "sortOrder": "desc", "page": 2, "perPage": 25}""",
            Credentials.Zendesk()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/api/v2/search.json", fake.Single.Path);
        Assert.Equal("?query=type%3Aticket%20status%3Aopen%20requester%3Aana%40example.com&sort_by=updated_at&sort_order=desc&page=2&per_page=25", fake.Single.Query);
        Assert.Empty(fake.Single.Body);
    }

    [Fact]
    public async Task Search_with_only_a_query_sends_only_the_query()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Found));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("ticket.search", """{"query": "refund"}""", Credentials.Zendesk()), default);

        Assert.Equal("?query=type%3Aticket%20refund", fake.Single.Query);
    }

    [Fact]
    public void Demo_create_is_a_new_ticket_with_the_given_fields()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("ticket.create", """{"subject": "Parcel lost", "comment": {"body": "Where?"}, "priority": "high"}""", null), new FixedTime());

        var ticket = result.ResponsePayload!.Value.GetProperty("ticket");
        Assert.True(result.Simulated);
        Assert.Equal("Parcel lost", ticket.GetProperty("subject").GetString());
        Assert.Equal("Where?", ticket.GetProperty("description").GetString());
        Assert.Equal("new", ticket.GetProperty("status").GetString());
        Assert.Equal("high", ticket.GetProperty("priority").GetString());
    }

    [Fact]
    public void Demo_search_is_one_page_of_tickets()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("ticket.search", """{"query": "refund", "perPage": 1}""", null), new FixedTime());

        var answer = result.ResponsePayload!.Value;
        var ticket = Assert.Single(answer.GetProperty("results").EnumerateArray());
        Assert.Equal("ticket", ticket.GetProperty("result_type").GetString());
        Assert.Equal(1, answer.GetProperty("count").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("next_page").ValueKind);
    }
}
