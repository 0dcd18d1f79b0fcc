using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Tests.Syntax;

public class LexerTests
{
    private static List<Token> Lex(string text, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var source = new SourceText(text);
        var bag = new DiagnosticBag(source);
        var tokens = Lexer.Tokenize(source, bag);
        diagnostics = bag.Items;
        return tokens;
    }

    private static List<Token> Lex(string text)
    {
        var tokens = Lex(text, out var diagnostics);
        Assert.Empty(diagnostics);
        return tokens;
    }

    [Fact]
    public void Splits_the_spec_example_into_tokens()
    {
        var tokens = Lex("action_type = refund.create AND payload.amount > 5000");

        Assert.Equal(
            [TokenKind.Word, TokenKind.Equal, TokenKind.Word, TokenKind.Keyword, TokenKind.Word, TokenKind.Greater, TokenKind.Number, TokenKind.EndOfInput],
            tokens.Select(t => t.Kind));
        Assert.Equal(5000m, tokens[6].DecimalValue);
        Assert.Equal("refund.create", tokens[2].Text);
    }

    [Theory]
    [InlineData("and", "And")]
    [InlineData("Or", "Or")]
    [InlineData("NOT", "Not")]
    [InlineData("contains", "Contains")]
    [InlineData("Starts", "Starts")]
    [InlineData("eNdS", "Ends")]
    [InlineData("with", "With")]
    [InlineData("matches", "Matches")]
    [InlineData("exists", "Exists")]
    [InlineData("in", "In")]
    [InlineData("True", "True")]
    [InlineData("FALSE", "False")]
    [InlineData("null", "Null")]
    public void Keywords_are_case_insensitive(string text, string keyword)
    {
        var token = Lex(text)[0];

        Assert.Equal(TokenKind.Keyword, token.Kind);
        Assert.Equal(keyword, token.Keyword.ToString());
    }

    [Fact]
    public void A_dotted_keyword_is_a_word()
    {
        Assert.Equal(TokenKind.Word, Lex("and.more")[0].Kind);
        Assert.Equal(TokenKind.Word, Lex("count")[0].Kind);
    }

    [Fact]
    public void Reads_path_segments_with_indexes_and_quoted_keys()
    {
        var token = Lex("""payload.items[0]["odd-key"].sku['x y']""")[0];

        Assert.Equal("payload", token.Root);
        Assert.True(token.HasBrackets);
        Assert.Equal(
            [PathSegment.Property("items"), PathSegment.At(0), PathSegment.Property("odd-key"), PathSegment.Property("sku"), PathSegment.Property("x y")],
            token.Segments);
    }

    [Theory]
    [InlineData("5000", 5000)]
    [InlineData("-12.5", -12.5)]
    [InlineData("1e3", 1000)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData("0", 0)]
    public void Reads_numbers(string text, double value)
    {
        var token = Lex(text)[0];

        Assert.Equal(TokenKind.Number, token.Kind);
        Assert.Equal((decimal)value, token.DecimalValue);
    }

    [Fact]
    public void Numbers_beyond_decimal_keep_a_double()
    {
        var token = Lex("1e30")[0];

        Assert.Null(token.DecimalValue);
        Assert.Equal(1e30, token.DoubleValue);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("24h", 86400)]
    [InlineData("7d", 604800)]
    [InlineData("1h30m", 5400)]
    public void Reads_durations(string text, int seconds)
    {
        var token = Lex(text)[0];

        Assert.Equal(TokenKind.Duration, token.Kind);
        Assert.Equal(TimeSpan.FromSeconds(seconds), token.DurationValue);
    }

    [Theory]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("'tab\\there'", "tab\there")]
    [InlineData("'caf\\u00e9'", "café")]
    [InlineData("'back\\\\slash'", "back\\slash")]
    [InlineData("\"single ' inside\"", "single ' inside")]
    [InlineData("'a/b\\/c'", "a/b/c")]
    public void Unescapes_strings(string text, string value)
    {
        var token = Lex(text)[0];

        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(value, token.StringValue);
    }

    [Fact]
    public void Skips_both_comment_styles()
    {
        var tokens = Lex("# first\npayload.a = 1 -- trailing\n-- own line\nAND payload.b = 2 # end");

        Assert.Equal(8, tokens.Count);
    }

    [Fact]
    public void A_minus_before_a_digit_is_a_negative_number_not_a_comment()
    {
        var tokens = Lex("payload.a>-5");

        Assert.Equal([TokenKind.Word, TokenKind.Greater, TokenKind.Number, TokenKind.EndOfInput], tokens.Select(t => t.Kind));
        Assert.Equal(-5m, tokens[2].DecimalValue);
    }

    [Fact]
    public void Keeps_lexing_after_a_bad_character()
    {
        var tokens = Lex("payload.a = 1 ~ AND payload.b = 2", out var diagnostics);

        Assert.Equal(DiagnosticCodes.UnexpectedCharacter, Assert.Single(diagnostics).Code);
        Assert.Equal(8, tokens.Count);
    }

    [Theory]
    [InlineData("==", "Equal")]
    [InlineData("<>", "NotEqual")]
    public void Borrowed_operators_are_reported_but_understood(string text, string kind)
    {
        var tokens = Lex(text, out var diagnostics);

        Assert.Equal(DiagnosticCodes.UnknownOperator, Assert.Single(diagnostics).Code);
        Assert.Equal(kind, tokens[0].Kind.ToString());
    }
}
