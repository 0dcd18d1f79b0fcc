using FsCheck;
using FsCheck.Fluent;
using Portcullis.Policies.Tests.Support;

namespace Portcullis.Policies.Tests.Properties;

/// <summary>The parser must survive anything and still report well-formed diagnostics.</summary>
public class ParserFuzzProperties
{
    private static readonly ActionContext Ctx = WithContext(Requests.Of("refund.create", ConditionGen.PayloadJson));

    [Fact]
    public void Parser_never_throws_and_diagnostics_are_well_formed()
    {
        Check.One(ConditionGen.Config(10, 3000), Prop.ForAll(ConditionGen.Junk, text =>
        {
            var result = PolicyCondition.Parse(text);
            Assert.Equal(result.Success, result.Diagnostics.Count == 0);
            Assert.Equal(result.Success, result.Condition is not null);
            foreach (var d in result.Diagnostics)
            {
                AssertWellFormed(text, d);
            }

            // Whatever parses must also evaluate without throwing.
            result.Condition?.Evaluate(Ctx);
            result.Condition?.VelocityQueriesFor(Ctx);
        }));
    }

    [Fact]
    public void Mutated_valid_conditions_never_throw()
    {
        var gen =
            from condition in ConditionGen.Mixed.Generator
            from cut in Gen.Choose(0, 1000)
            from insert in Gen.Elements("(", ")", "'", "\"", " AND", "NOT ", "[", ".", ",", "", "\\", "COUNT(")
            select Mutate(condition, cut, insert);

        Check.One(ConditionGen.Config(11, 2000), Prop.ForAll(Arb.From(gen), text =>
        {
            var result = PolicyCondition.Parse(text);
            foreach (var d in result.Diagnostics)
            {
                AssertWellFormed(text, d);
            }

            result.Condition?.Evaluate(Ctx);
        }));
    }

    private static ActionContext WithContext(ActionContext ctx)
    {
        ctx.Source = "mcp";
        ctx.Context = Requests.Json(ConditionGen.ContextJson);
        return ctx;
    }

    private static string Mutate(string condition, int cut, string insert)
    {
        var at = cut % (condition.Length + 1);
        return condition[..at] + insert + condition[at..];
    }

    private static void AssertWellFormed(string text, Diagnostic d)
    {
        Assert.False(string.IsNullOrEmpty(d.Code));
        Assert.False(d.Message.EndsWith('.'), d.Message);
        Assert.True(!char.IsUpper(d.Message[0]), d.Message);
        Assert.InRange(d.Line, 1, text.Count(c => c == '\n') + 1);
        Assert.True(d.Column >= 1 && d.Length >= 1);
        var lines = d.Excerpt.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("^", lines[1]);
    }
}
