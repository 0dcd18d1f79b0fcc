using Portcullis.Server.Features.Actions.Dispatch;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>Which calls recovery may send a second time: never one that could act twice.</summary>
public sealed class DispatchSafetyTests
{
    [Theory]
    [InlineData("refund.create", """{"charge":"ch_1"}""", true)]
    [InlineData("charge.retrieve", """{"chargeId":"ch_1"}""", true)]
    [InlineData("http.request", """{"path":"/x"}""", true)]
    [InlineData("crm.update_record", """{}""", true)]
    [InlineData("ticket.update", """{"ticketId":1,"updates":{"status":"solved"}}""", true)]
    [InlineData("ticket.update", """{"ticketId":1,"comment":{"body":"thanks"}}""", false)]
    [InlineData("ticket.add_comment", """{}""", false)]
    [InlineData("email.send", """{}""", false)]
    [InlineData("slack.post_message", """{}""", false)]
    [InlineData("sms.send", """{}""", false)]
    [InlineData("crm.create_record", """{}""", false)]
    [InlineData("refund.custom", """{}""", false)]
    public void Only_reads_and_calls_deduplicated_by_their_key_are_safe_to_repeat(string actionType, string payload, bool safe) =>
        Assert.Equal(safe, DispatchSafety.SafeToRepeat(actionType, payload));
}
