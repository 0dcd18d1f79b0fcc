using System.Text;
using Portcullis.Server.Features.Approvals.Slack;
using Verdict = Portcullis.Server.Features.Approvals.Slack.SlackSignature.Verdict;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Slack's request signatures, checked with the worked example of Slack's "Verifying requests from Slack".</summary>
public sealed class SlackSignatureTests
{
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] DocBody = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA"
        + "&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
        + "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_documented_example_signs_and_verifies()
    {
        Assert.Equal(DocSignature, SlackSignature.Sign(DocSecret, DocTimestamp, DocBody));
        Assert.Equal(Verdict.Valid, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, DocBody, SentAt.AddMinutes(4)));
    }

    [Fact]
    public void A_changed_body_another_secret_or_a_mangled_signature_is_a_mismatch()
    {
        var changed = DocBody.Append((byte)'x').ToArray();

        Assert.Equal(Verdict.Mismatch, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, changed, SentAt));
        Assert.Equal(Verdict.Mismatch, SlackSignature.Verify("another secret", DocTimestamp, DocSignature, DocBody, SentAt));
        Assert.Equal(Verdict.Mismatch, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature.ToUpperInvariant(), DocBody, SentAt));
        Assert.Equal(Verdict.Mismatch, SlackSignature.Verify(DocSecret, DocTimestamp, "v0=00", DocBody, SentAt));
    }

    [Fact]
    public void A_timestamp_more_than_five_minutes_away_either_way_is_stale_and_a_missing_header_is_missing()
    {
        Assert.Equal(Verdict.Stale, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, DocBody, SentAt.AddMinutes(5).AddSeconds(1)));
        Assert.Equal(Verdict.Stale, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, DocBody, SentAt.AddMinutes(-6)));
        Assert.Equal(Verdict.Missing, SlackSignature.Verify(DocSecret, null, DocSignature, DocBody, SentAt));
        Assert.Equal(Verdict.Missing, SlackSignature.Verify(DocSecret, DocTimestamp, "", DocBody, SentAt));
        Assert.Equal(Verdict.Missing, SlackSignature.Verify(DocSecret, "-1531420618", DocSignature, DocBody, SentAt));
    }
}
