namespace Portcullis.Connectors.Tests.Catalog;

/// <summary>The connector descriptors: what each provider declares, and the hints crash recovery relies on.</summary>
public class DescriptorTests
{
    public static TheoryData<string> ActionTypes() =>
        new(ConnectorCatalog.All.SelectMany(d => d.Actions).Select(a => a.ActionType));

    [Fact]
    public void Every_provider_declares_a_name_a_guide_and_exactly_one_hint_field()
    {
        Assert.Equal(ActionCatalog.Providers, ConnectorCatalog.All.Select(d => d.Provider));
        Assert.All(ConnectorCatalog.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.DisplayName));
            Assert.True(d.SetupGuide.Length > 40, d.Provider);
            Assert.DoesNotContain('\n', d.SetupGuide);
            Assert.Single(d.CredentialFields, f => f.Hint);
            Assert.NotEmpty(d.Actions);
            Assert.Equal(d.Provider, d.Connector.Provider);
        });
    }

    [Fact]
    public void Only_gmail_and_hubspot_connect_through_oauth_and_only_gmail_has_no_key_form()
    {
        Assert.Equal(["gmail", "hubspot"], ConnectorCatalog.All.Where(d => d.OAuth is not null).Select(d => d.Provider));
        Assert.Equal(["gmail"], ConnectorCatalog.All.Where(d => d.OAuthOnly).Select(d => d.Provider));
        Assert.All(ConnectorCatalog.All.Where(d => d.OAuth is not null), d =>
        {
            Assert.Equal("https", d.OAuth!.AuthorizationEndpoint.Scheme);
            Assert.Equal("https", d.OAuth.TokenEndpoint.Scheme);
            Assert.NotEmpty(d.OAuth.Scopes);
        });
    }

    [Fact]
    public void The_options_defaults_are_the_descriptors()
    {
        var options = new ConnectorOptions();
        Assert.Equal(new Uri("https://api.stripe.com"), options.StripeBaseUrl);
        Assert.Equal("https://{subdomain}.zendesk.com", options.ZendeskBaseUrlTemplate);
        Assert.Equal(new Uri("https://oauth2.googleapis.com/token"), options.GoogleTokenEndpoint);
        Assert.Equal(["https://www.googleapis.com/auth/gmail.send"], options.OAuthOf("gmail").Scopes);
        Assert.Throws<ArgumentException>(() => options.BaseUrlOf("webhook"));

        options.BaseUrls["stripe"] = "http://127.0.0.1:9/";
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.StripeBaseUrl);
    }

    [Theory]
    [MemberData(nameof(ActionTypes))]
    public void Every_action_has_a_description_and_a_declared_object_schema(string actionType)
    {
        var action = ConnectorCatalog.All.SelectMany(d => d.Actions).Single(a => a.ActionType == actionType);
        Assert.False(string.IsNullOrWhiteSpace(action.Description));
        Assert.NotEmpty(action.Payload.Fields);
        var schema = action.InputSchema();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        Assert.Equal("object", (string?)schema["type"]);
        Assert.False((bool?)schema["additionalProperties"]);
    }

    [Theory]
    [InlineData("refund.create", false, true, true)]
    [InlineData("charge.retrieve", true, false, true)]
    [InlineData("customer.retrieve", true, false, true)]
    [InlineData("email.send", false, false, false)]
    [InlineData("crm.create_record", false, false, false)]
    [InlineData("crm.update_record", false, false, true)]
    [InlineData("refund.retrieve", true, false, true)]
    [InlineData("refund.list", true, false, true)]
    [InlineData("crm.get_record", true, false, true)]
    [InlineData("crm.search_records", true, false, true)]
    [InlineData("ticket.get", true, false, true)]
    [InlineData("ticket.update", false, false, true)]
    [InlineData("ticket.add_comment", false, false, false)]
    [InlineData("ticket.create", false, false, false)]
    [InlineData("ticket.search", true, false, true)]
    [InlineData("slack.post_message", false, false, false)]
    [InlineData("slack.update_message", false, false, true)]
    [InlineData("slack.lookup_user_by_email", true, false, true)]
    [InlineData("sms.send", false, false, false)]
    [InlineData("http.request", false, true, true)]
    [InlineData("mqtt.publish", false, true, false)]
    public void Hints_are_as_documented(string actionType, bool readOnly, bool destructive, bool idempotent)
    {
        Assert.True(ActionCatalog.TryGetHints(actionType, out var hints));
        Assert.Equal(new ActionHints(readOnly, destructive, idempotent), hints);
        Assert.Equal(readOnly || idempotent, ActionCatalog.SafeToRepeat(actionType));
    }

    [Fact]
    public void Every_built_in_action_has_its_hints_listed_above() =>
        Assert.Equal(21, ConnectorCatalog.All.SelectMany(d => d.Actions).Count());

    [Fact]
    public void Custom_action_types_have_no_hints_and_are_never_safe_to_repeat()
    {
        Assert.False(ActionCatalog.TryGetHints("invoice.void", out var hints));
        Assert.Equal(default, hints);
        Assert.False(ActionCatalog.SafeToRepeat("invoice.void"));
        Assert.False(ActionCatalog.SafeToRepeat("charge.retrieve.custom"));
    }
}
