using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class HubSpotLiveTests
{
    private static readonly object Record = new
    {
        id = "512",
        properties = new { email = "ana@example.com", createdate = "2025-03-14T09:26:53.000Z" },
        createdAt = "2025-03-14T09:26:53.000Z",
        updatedAt = "2025-03-14T09:26:53.000Z",
        archived = false,
    };

    [Fact]
    public async Task Create_posts_string_properties_as_json_with_bearer_token()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Record));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.create_record",
            """{"objectType": "contacts", "properties": {"email": "ana@example.com", "age": 42, "vip": true, "fax": null}}""", Credentials.HubSpot()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("512", result.ResponsePayload!.Value.GetProperty("id").GetString());
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/crm/v3/objects/contacts", request.Path);
        Assert.Equal($"Bearer {Credentials.HubSpotAccess}", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("""{"properties":{"email":"ana@example.com","age":"42","vip":"true","fax":""}}""", request.BodyText);
    }

    [Fact]
    public async Task Update_patches_the_record()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Record));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("crm.update_record", """{"objectType": "deals", "recordId": "98 7", "properties": {"amount": "1500"}}""", Credentials.HubSpot()), default);

        Assert.Equal("PATCH", fake.Single.Method);
        Assert.Equal("/crm/v3/objects/deals/98%207", fake.Single.Path.Replace(" ", "%20", StringComparison.Ordinal));
        Assert.Equal("""{"properties":{"amount":"1500"}}""", fake.Single.BodyText);
    }

    [Fact]
    public async Task Get_asks_for_the_listed_properties()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Record));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("crm.get_record", """{"objectType": "companies", "recordId": "42", "properties": ["name", "domain"]}""", Credentials.HubSpot()), default);

        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/crm/v3/objects/companies/42", fake.Single.Path);
        Assert.Equal("?properties=name,domain", fake.Single.Query);
    }

    [Fact]
    public async Task HubSpot_errors_carry_category_and_correlation_id()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(400, new
        {
            status = "error",
            message = "Property values were not valid",
            correlationId = "aeb5f871-7f07-4993-9211-075dc63e7cbf",
            category = "VALIDATION_ERROR",
            errors = new[] { new { message = "bad email", @in = "email" } },
        }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("crm.create_record", """{"objectType": "contacts", "properties": {"email": "x"}}""", Credentials.HubSpot()), default);

        Assert.Equal(new ConnectorError("hubspot refused the request with HTTP 400: Property values were not valid", 400, "VALIDATION_ERROR", "aeb5f871-7f07-4993-9211-075dc63e7cbf"), result.Error);
    }

    [Fact]
    public async Task A_failed_create_is_not_repeated_but_a_failed_patch_is()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i is 0 or 1
            ? FakeResponse.Json(502, new { status = "error", message = "bad gateway", category = "SERVICE_UNAVAILABLE" })
            : FakeResponse.Json(200, Record));
        using var runner = Runner(fake);

        var create = await runner.ExecuteLiveAsync(Request("crm.create_record", """{"objectType": "contacts", "properties": {"email": "a@example.com"}}""", Credentials.HubSpot()), default);
        var patch = await runner.ExecuteLiveAsync(Request("crm.update_record", """{"objectType": "contacts", "recordId": "1", "properties": {"email": "a@example.com"}}""", Credentials.HubSpot()), default);

        Assert.False(create.Succeeded);
        Assert.Equal(1, create.Attempts);
        Assert.Equal("SERVICE_UNAVAILABLE", create.Error!.ProviderCode);
        Assert.True(patch.Succeeded);
        Assert.Equal(2, patch.Attempts);
    }

    [Fact]
    public async Task An_oauth_credential_is_refreshed_after_a_401()
    {
        await using var fake = await FakeProvider.StartAsync(r => r.Header("Authorization") == "Bearer new-hubspot-token"
            ? FakeResponse.Json(200, Record)
            : FakeResponse.Json(401, new { status = "error", message = "The OAuth token used to make this call expired 5 minute(s) ago.", category = "EXPIRED_AUTHENTICATION" }));
        var refresher = ScriptedRefresher.WithToken("new-hubspot-token");
        using var runner = Runner(fake, refresher: refresher);

        var result = await runner.ExecuteLiveAsync(Request("crm.get_record", """{"objectType": "contacts", "recordId": "1"}""", Credentials.HubSpot(oauth: true)), default);

        Assert.True(result.Succeeded);
        Assert.Single(refresher.Calls);
    }

    [Fact]
    public async Task A_private_app_token_has_nothing_to_refresh_so_a_401_is_reported()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401, new { status = "error", message = "Authentication credentials not found.", category = "INVALID_AUTHENTICATION" }));
        var refresher = ScriptedRefresher.WithToken("unused");
        using var runner = Runner(fake, refresher: refresher);

        var result = await runner.ExecuteLiveAsync(Request("crm.get_record", """{"objectType": "contacts", "recordId": "1"}""", Credentials.HubSpot()), default);

        Assert.Equal("INVALID_AUTHENTICATION", result.Error!.ProviderCode);
        Assert.Empty(refresher.Calls);
    }

    [Fact]
    public async Task An_oauth_credential_whose_refresh_is_rejected_needs_reconnecting()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401, new { status = "error", category = "EXPIRED_AUTHENTICATION" }));
        using var runner = Runner(fake, refresher: new ScriptedRefresher(_ => null));

        var result = await runner.ExecuteLiveAsync(Request("crm.update_record", """{"objectType": "contacts", "recordId": "1", "properties": {"a": "b"}}""", Credentials.HubSpot(oauth: true)), default);

        Assert.Equal(ConnectorErrorCodes.CredentialNeedsReconnect, result.Error!.ProviderCode);
        Assert.Equal("the hubspot authorization has expired or was revoked; reconnect the credential", result.Error.Message);
    }

    [Fact]
    public async Task Verify_lists_one_contact()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { results = Array.Empty<object>() }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.HubSpot(), default);

        Assert.True(verified.Ok);
        Assert.Equal("/crm/v3/objects/contacts", fake.Single.Path);
        Assert.Equal("?limit=1", fake.Single.Query);
    }
}
