using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

/// <summary><c>crm.search_records</c> and associations on <c>crm.create_record</c> against a fake HubSpot.</summary>
public class HubSpotSearchTests
{
    private static readonly object Page = new { total = 1, results = new[] { new { id = "512", properties = new { email = "ana@example.com" } } } };

    [Fact]
    public async Task Search_posts_filter_groups_sorts_properties_and_paging_to_the_search_endpoint()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.search_records", """
            {"objectType": "contacts", "properties": ["email", "lifecyclestage"], "limit": 50, "after": "100",
             "filterGroups": [{"filters": [{"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@example.com"},
                                           {"propertyName": "hs_lead_status", "operator": "IN", "values": ["NEW", "OPEN"]}]},
                              {"filters": [{"propertyName": "createdate", "operator": "BETWEEN", "value": "1700000000000", "highValue": "1710000000000"}]}],
             "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}]}
            """, Credentials.HubSpot()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("POST", fake.Single.Method);
        Assert.Equal("/crm/v3/objects/contacts/search", fake.Single.Path);
        Assert.Equal($"Bearer {Credentials.HubSpotAccess}", fake.Single.Header("Authorization"));
        Assert.Equal(
            """{"filterGroups":[{"filters":[{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@example.com"},{"propertyName":"hs_lead_status","operator":"IN","values":["NEW","OPEN"]}]},{"filters":[{"propertyName":"createdate","operator":"BETWEEN","value":"1700000000000","highValue":"1710000000000"}]}],"sorts":[{"propertyName":"createdate","direction":"DESCENDING"}],"properties":["email","lifecyclestage"],"limit":50,"after":"100"}""",
            fake.Single.BodyText);
    }

    [Fact]
    public async Task A_failed_search_is_retried_because_it_only_reads()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0 ? FakeResponse.Json(502, new { status = "error", message = "bad gateway" }) : FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.search_records", """{"objectType": "deals", "query": "acme"}""", Credentials.HubSpot()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Attempts);
        Assert.All(fake.Requests, r => Assert.Equal("""{"query":"acme"}""", r.BodyText));
    }

    [Theory]
    [InlineData("""{"objectType": "contacts", "limit": 201}""", "payload.limit must be at most 200")]
    [InlineData("""{"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE", "value": "x"}]}]}""", "payload.filterGroups[0].filters[0].operator must be one of")]
    [InlineData("""{"objectType": "contacts", "filterGroups": [{"filters": []}]}""", "payload.filterGroups[0].filters must not be empty")]
    [InlineData("""{"objectType": "leads"}""", "payload.objectType must be one of")]
    public async Task Invalid_searches_never_reach_hubspot(string payload, string problem)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.search_records", payload, Credentials.HubSpot()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains(problem, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Create_sends_associations_in_hubspots_shape()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, new { id = "901" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.create_record", """
            {"objectType": "contacts", "properties": {"email": "ana@example.com"},
             "associations": [{"toId": "77", "associationTypeId": 279}, {"toId": "512", "associationTypeId": 4, "associationCategory": "USER_DEFINED"}]}
            """, Credentials.HubSpot()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("/crm/v3/objects/contacts", fake.Single.Path);
        Assert.Equal(
            """{"properties":{"email":"ana@example.com"},"associations":[{"to":{"id":"77"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]},{"to":{"id":"512"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":4}]}]}""",
            fake.Single.BodyText);
    }

    [Fact]
    public void Demo_search_is_one_page_of_records_with_the_asked_properties()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("crm.search_records", """{"objectType": "contacts", "properties": ["email"], "limit": 1}""", null), new FixedTime());

        var page = result.ResponsePayload!.Value;
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        var record = Assert.Single(page.GetProperty("results").EnumerateArray());
        Assert.EndsWith("@example.com", record.GetProperty("properties").GetProperty("email").GetString());
        Assert.False(page.TryGetProperty("paging", out _));
    }
}
