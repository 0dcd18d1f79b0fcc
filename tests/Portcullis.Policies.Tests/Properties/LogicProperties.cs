using FsCheck;
using FsCheck.Fluent;
using Portcullis.Policies.Tests.Support;

namespace Portcullis.Policies.Tests.Properties;

/// <summary>Boolean laws on random conditions, with fixed seeds so failures replay.</summary>
public class LogicProperties
{
    private static readonly ActionContext Ctx = new()
    {
        ActionType = "refund.create",
        Provider = "stripe",
        Payload = Requests.Json(ConditionGen.PayloadJson),
        Context = Requests.Json(ConditionGen.ContextJson),
        Source = "mcp",
        AgentId = "agt_1",
    };

    [Fact]
    public void Generated_conditions_always_parse()
    {
        Check.One(ConditionGen.Config(1, 500), Prop.ForAll(ConditionGen.Mixed, c => PolicyCondition.Parse(c).Success));
    }

    [Fact]
    public void Not_inverts_a_condition_over_present_fields()
    {
        Check.One(ConditionGen.Config(2, 500), Prop.ForAll(ConditionGen.Present, c =>
        {
            var plain = Eval(c);
            var negated = Eval($"NOT ({c})");
            return !plain.IsError && !negated.IsError && plain.IsMatch != negated.IsMatch;
        }));
    }

    [Fact]
    public void And_and_or_are_commutative_even_with_missing_fields_and_unknown_values()
    {
        Check.One(ConditionGen.Config(3, 500), Prop.ForAll(ConditionGen.MixedPairs, pair =>
            Eval($"({pair.A}) AND ({pair.B})") == Eval($"({pair.B}) AND ({pair.A})")
            && Eval($"({pair.A}) OR ({pair.B})") == Eval($"({pair.B}) OR ({pair.A})")));
    }

    [Fact]
    public void De_morgan_laws_hold()
    {
        Check.One(ConditionGen.Config(4, 500), Prop.ForAll(ConditionGen.MixedPairs, pair =>
            Eval($"NOT (({pair.A}) AND ({pair.B}))") == Eval($"(NOT ({pair.A})) OR (NOT ({pair.B}))")
            && Eval($"NOT (({pair.A}) OR ({pair.B}))") == Eval($"(NOT ({pair.A})) AND (NOT ({pair.B}))")));
    }

    [Fact]
    public void Not_equal_is_not_of_equal_when_the_field_is_present()
    {
        Check.One(ConditionGen.Config(5, 300), Prop.ForAll(ConditionGen.Present, c =>
        {
            if (!c.Contains(" = ", StringComparison.Ordinal) || c.Contains('(', StringComparison.Ordinal))
            {
                return true;
            }

            return Eval(c.Replace(" = ", " != ", StringComparison.Ordinal)).IsMatch == !Eval(c).IsMatch;
        }));
    }

    /// <summary>Match and error status only: error messages may legitimately name a different first failure.</summary>
    private static (bool IsMatch, bool IsError) Eval(string condition)
    {
        var parsed = PolicyCondition.Parse(condition);
        Assert.True(parsed.Success, condition + "\n" + string.Join("\n", parsed.Diagnostics));
        var outcome = parsed.Condition!.Evaluate(Ctx);
        return (outcome.IsMatch, outcome.IsError);
    }
}
