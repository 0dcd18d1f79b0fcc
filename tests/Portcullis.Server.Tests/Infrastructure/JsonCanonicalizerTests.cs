using System.Globalization;
using System.Text.Json;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Infrastructure.Json;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>RFC 8785's own examples (section 3.2.2 and 3.2.3, appendix B) and the arguments digest built on it.</summary>
public sealed class JsonCanonicalizerTests
{
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Numbers_are_written_as_ecmascript_writes_the_appendix_b_doubles(string ieee754, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        Assert.Equal(expected, EcmaScriptNumber.Format(value));
    }

    [Fact]
    public void The_rfc_example_is_canonicalized_byte_for_byte()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        using var document = JsonDocument.Parse(input);

        Assert.Equal(
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
            JsonCanonicalizer.Canonicalize(document.RootElement));
    }

    [Fact]
    public void Members_are_sorted_by_utf16_code_units_as_in_the_rfc_sorting_example()
    {
        const string input = """
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
             "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}
            """;
        using var document = JsonDocument.Parse(input);

        using var sorted = JsonDocument.Parse(JsonCanonicalizer.Canonicalize(document.RootElement));
        var names = sorted.RootElement.EnumerateObject().Select(m => m.Value.GetString());
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            names);
    }

    [Fact]
    public void The_arguments_digest_hashes_the_canonical_form_and_omits_absent_fields()
    {
        // The same payload written in another order and spacing, with 7.999e3 for 7999: one canonical form.
        const string payload = """{ "reason": "requested_by_customer", "amount": 7.999e3, "charge": "ch_1" }""";
        var canonical = """{"actionType":"refund.create","payload":{"amount":7999,"charge":"ch_1","reason":"requested_by_customer"},"provider":"stripe"}""";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, ArgumentsDigest.Of("refund.create", "stripe", null, null, payload));
        Assert.NotEqual(expected, ArgumentsDigest.Of("refund.create", "stripe", "charge", null, payload));
    }
}
