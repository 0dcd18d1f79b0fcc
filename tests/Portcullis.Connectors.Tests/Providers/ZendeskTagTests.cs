using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class ZendeskTagTests
{
    [Fact]
    public async Task Additional_and_removed_tags_map_to_zendesk_names_and_leave_other_tags_alone()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { ticket = new { id = 7 } }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("ticket.update",
            """{"ticketId": 7, "updates": {"additionalTags": ["refund_issued"], "removeTags": ["needs_triage", "vip"]}}""", Credentials.Zendesk()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("""{"ticket":{"additional_tags":["refund_issued"],"remove_tags":["needs_triage","vip"]}}""", fake.Single.BodyText);
    }

    [Fact]
    public void A_tag_with_a_space_is_refused_in_every_tag_list()
    {
        var errors = ActionCatalog.Validate("ticket.update",
            Json("""{"ticketId": 7, "updates": {"additionalTags": ["two words"], "removeTags": ["ok", "a b"]}}"""));

        Assert.Contains(errors, e => e.Field == "payload.updates.additionalTags[0]");
        Assert.Contains(errors, e => e.Field == "payload.updates.removeTags[1]");
    }
}
