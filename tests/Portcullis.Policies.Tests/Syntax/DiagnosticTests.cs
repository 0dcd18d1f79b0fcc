using System.Reflection;

namespace Portcullis.Policies.Tests.Syntax;

/// <summary>Every parse diagnostic code, with its exact line, column, length and caret excerpt.</summary>
public class DiagnosticTests
{
    public static TheoryData<string, string, int, int, int, string> Located => new()
    {
        { "payload.amount > 5 @", DiagnosticCodes.UnexpectedCharacter, 1, 20, 1, "payload.amount > 5 @\n                   ^" },
        { "payload.amount == 5", DiagnosticCodes.UnknownOperator, 1, 16, 2, "payload.amount == 5\n               ^^" },
        { "payload.currency = 'usd", DiagnosticCodes.UnterminatedString, 1, 20, 4, "payload.currency = 'usd\n                   ^^^^" },
        { "payload.currency = 'u\\sd'", DiagnosticCodes.InvalidEscape, 1, 22, 2, "payload.currency = 'u\\sd'\n                     ^^" },
        { "payload.amount > 12abc", DiagnosticCodes.InvalidNumber, 1, 18, 5, "payload.amount > 12abc\n                 ^^^^^" },
        { "payload.items[x] = 1", DiagnosticCodes.InvalidPath, 1, 14, 3, "payload.items[x] = 1\n             ^^^" },
        { "COUNT(LAST 0m PER agent) > 1", DiagnosticCodes.InvalidDuration, 1, 12, 2, "COUNT(LAST 0m PER agent) > 1\n           ^^" },
        { "   ", DiagnosticCodes.EmptyCondition, 1, 1, 1, "   \n^" },
        { "payload.a = 1 payload.b = 2", DiagnosticCodes.UnexpectedToken, 1, 15, 9, "payload.a = 1 payload.b = 2\n              ^^^^^^^^^" },
        { "payload.a 1", DiagnosticCodes.ExpectedOperator, 1, 11, 1, "payload.a 1\n          ^" },
        { "payload.a >", DiagnosticCodes.ExpectedValue, 1, 12, 1, "payload.a >\n           ^" },
        { "payload.a IN (1, provider)", DiagnosticCodes.ExpectedLiteral, 1, 18, 8, "payload.a IN (1, provider)\n                 ^^^^^^^^" },
        { "action_type = x AND amount > 5", DiagnosticCodes.UnknownField, 1, 21, 6, "action_type = x AND amount > 5\n                    ^^^^^^" },
        { "(payload.a = 1 OR payload.b = 2", DiagnosticCodes.UnclosedParenthesis, 1, 1, 1, "(payload.a = 1 OR payload.b = 2\n^" },
        { "payload.a MATCHES '[a-'", DiagnosticCodes.InvalidRegex, 1, 19, 5, "payload.a MATCHES '[a-'\n                  ^^^^^" },
        { "payload.a STARTS WITH 5", DiagnosticCodes.InvalidOperand, 1, 23, 1, "payload.a STARTS WITH 5\n                      ^" },
        { "COUNT(LAST 1h PER team) > 1", DiagnosticCodes.InvalidVelocity, 1, 19, 4, "COUNT(LAST 1h PER team) > 1\n                  ^^^^" },
        { "COUNT(PER run WHERE agent.id = x) > 0", DiagnosticCodes.InvalidVelocity, 1, 21, 8, "COUNT(PER run WHERE agent.id = x) > 0\n                    ^^^^^^^^" },
        { "COUNT(PER run WHERE resource_id = 42) > 0", DiagnosticCodes.InvalidVelocity, 1, 35, 2, "COUNT(PER run WHERE resource_id = 42) > 0\n                                  ^^" },
    };

    [Theory]
    [MemberData(nameof(Located))]
    public void Reports_code_position_and_excerpt(string condition, string code, int line, int column, int length, string excerpt)
    {
        var result = PolicyCondition.Parse(condition);

        Assert.False(result.Success);
        Assert.Null(result.Condition);
        var d = result.Diagnostics[0];
        Assert.Equal(code, d.Code);
        Assert.Equal((line, column, length), (d.Line, d.Column, d.Length));
        Assert.Equal(excerpt, d.Excerpt);
    }

    [Fact]
    public void Multi_line_conditions_report_the_line_and_column_of_each_problem()
    {
        var condition = "action_type = refund.create\nAND payload.amout > 5000 # typo\n\tOR payload.currency == usd";

        var result = PolicyCondition.Parse(condition);

        Assert.Collection(
            result.Diagnostics,
            d =>
            {
                Assert.Equal((DiagnosticCodes.UnknownOperator, 3, 22), (d.Code, d.Line, d.Column));
                Assert.Equal("\tOR payload.currency == usd\n\t                    ^^", d.Excerpt);
            });

        var typo = PolicyCondition.Parse("action_type = refund.create\nAND payloa.amount > 5000");
        var only = Assert.Single(typo.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownField, 2, 5, 13), (only.Code, only.Line, only.Column, only.Length));
        Assert.Equal("unknown field `payloa.amount`; did you mean `payload.amount`", only.Message);
        Assert.Equal("AND payloa.amount > 5000\n    ^^^^^^^^^^^^^", only.Excerpt);
    }

    [Fact]
    public void Recovers_and_reports_every_problem_in_one_pass()
    {
        var condition = "amount > 5\nAND payload.currency = 'usd' AND provider == stripe\nOR payload.x MATCHES '(' OR COUNT(LAST 5 PER agent) > 1";

        var codes = PolicyCondition.Parse(condition).Diagnostics.Select(d => (d.Code, d.Line)).ToList();

        Assert.Equal(
            [
                (DiagnosticCodes.UnknownField, 1),
                (DiagnosticCodes.UnknownOperator, 2),
                (DiagnosticCodes.InvalidRegex, 3),
                (DiagnosticCodes.InvalidVelocity, 3),
            ],
            codes);
    }

    [Fact]
    public void A_span_running_past_the_line_is_clipped_to_it()
    {
        var d = PolicyCondition.Parse("payload.a = 'abc\nAND payload.b = 1").Diagnostics[0];

        Assert.Equal(DiagnosticCodes.UnterminatedString, d.Code);
        Assert.Equal("payload.a = 'abc\n            ^^^^", d.Excerpt);
    }

    [Fact]
    public void Excerpt_ignores_windows_line_endings()
    {
        var d = PolicyCondition.Parse("payload.a = 1\r\nAND foo = 2").Diagnostics[0];

        Assert.Equal((2, 5), (d.Line, d.Column));
        Assert.Equal("AND foo = 2\n    ^^^", d.Excerpt);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_one_diagnostic()
    {
        var deep = new string('(', 100) + "payload.a = 1" + new string(')', 100);

        var d = Assert.Single(PolicyCondition.Parse(deep).Diagnostics);

        Assert.Equal((DiagnosticCodes.NestingTooDeep, 1, 65), (d.Code, d.Line, d.Column));
        Assert.True(PolicyCondition.Parse(new string('(', 60) + "payload.a = 1" + new string(')', 60)).Success);
        Assert.Equal(DiagnosticCodes.NestingTooDeep, PolicyCondition.Parse(string.Concat(Enumerable.Repeat("NOT ", 100)) + "payload.a = 1").Diagnostics.Single().Code);
    }

    [Fact]
    public void Too_long_conditions_are_rejected_before_parsing()
    {
        var d = Assert.Single(PolicyCondition.Parse("payload.a = 1 OR " + new string(' ', PolicyCondition.MaxLength)).Diagnostics);

        Assert.Equal((DiagnosticCodes.ConditionTooLong, 1, 1), (d.Code, d.Line, d.Column));
    }

    [Fact]
    public void Stops_after_fifty_problems()
    {
        var result = PolicyCondition.Parse(string.Join(" AND ", Enumerable.Repeat("nope = 1", 80)));

        Assert.Equal(51, result.Diagnostics.Count);
        Assert.Equal(DiagnosticCodes.TooManyErrors, result.Diagnostics[^1].Code);
    }

    [Fact]
    public void Null_text_is_an_empty_condition_not_an_exception()
    {
        Assert.Equal(DiagnosticCodes.EmptyCondition, PolicyCondition.Parse(null!).Diagnostics.Single().Code);
    }

    [Theory]
    [InlineData("payload.a = and", "expected a value after `=`, found keyword `and`; quote it to use it as text")]
    [InlineData("amount > 5", "unknown field `amount`; use `payload.amount` for a payload value")]
    [InlineData("providr = stripe", "unknown field `providr`; did you mean `provider`")]
    [InlineData("sorce = mcp", "unknown field `sorce`; did you mean `source`")]
    [InlineData("contxt.ticket.priority = urgent", "unknown field `contxt.ticket.priority`; did you mean `context.ticket.priority`")]
    [InlineData("contex['odd key'] = 1", "unknown field `contex['odd key']`; did you mean `context[\"odd key\"]`")]
    [InlineData("source.kind = mcp", "unknown field `source.kind`")]
    [InlineData("payload.x IN (rest, source)", "`IN` lists take literal values only, found `source`; quote it to use it as text")]
    [InlineData("payload.a = 1e999", "number `1e999` is out of range")]
    [InlineData("payload.a MATCHES '(x'", "invalid regular expression `(x`: insufficient closing parentheses at offset 2")]
    [InlineData("COUNT(LAST 1 h PER agent) > 1", "expected a window such as `30m`, `24h` or `7d` after `LAST`, found `1`; write the unit right after the number, as in `24h`")]
    [InlineData("payload.a <> 1", "`<>` is not an operator; use `!=`")]
    [InlineData("COUNT(PER run WHERE resource_id = 42) > 0", "`resource_id` of an earlier request is text; quote the value, as in `'42'`")]
    [InlineData("COUNT(PER run WHERE payload.a > 1) > 0", "a `WHERE` test compares with `=` or `!=`, found `>`")]
    [InlineData("COUNT(PER run WHERE decision = blocked) > 0", "`blocked` is not a decision; use one of `allow`, `allow_with_alert`, `require_approval`, `block`")]
    [InlineData("COUNT(PER agent) > 1", "expected `LAST` and a window such as `LAST 1h` (or `PER run`) in `COUNT(…)`, found `PER`")]
    [InlineData("(payload.a = 1", "missing `)` to close this `(`")]
    public void Messages_explain_the_problem(string condition, string message)
    {
        Assert.Equal(message, PolicyCondition.Parse(condition).Diagnostics[0].Message);
    }

    [Fact]
    public void Every_parse_code_is_covered_by_a_located_test()
    {
        var evaluationOrPolicyCodes = new[]
        {
            DiagnosticCodes.RegexTimeout, DiagnosticCodes.VelocityUnavailable, DiagnosticCodes.EvaluationFailed,
            DiagnosticCodes.DuplicatePolicyId, DiagnosticCodes.InvalidPolicy,
            DiagnosticCodes.NestingTooDeep, DiagnosticCodes.ConditionTooLong, DiagnosticCodes.TooManyErrors, // dedicated facts above
        };
        var all = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        var located = Located.Select(row => (string)row[1]).ToHashSet();

        Assert.Empty(all.Except(evaluationOrPolicyCodes).Except(located));
    }
}
