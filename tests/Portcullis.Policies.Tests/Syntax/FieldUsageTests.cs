namespace Portcullis.Policies.Tests.Syntax;

/// <summary>A compiled condition names the request fields it reads, so a caller can tell when its outcome is fixed.</summary>
public sealed class FieldUsageTests
{
    [Theory]
    [InlineData("action_type = refund.create AND source = mcp", "action_type,source")]
    [InlineData("NOT (agent.id IN (a, b) OR provider STARTS WITH str)", "agent.id,provider")]
    [InlineData("payload.amount > 5 AND evidence.x EXISTS", "evidence,payload")]
    [InlineData("context.ticket.priority MATCHES '^u' OR run.trigger_type = mcp", "context,run.trigger_type")]
    [InlineData("COUNT(LAST 1h PER agent) > 3", "velocity")]
    [InlineData("SUM(payload.amount, LAST 1d PER workspace) > 3 AND agent.name = bot", "agent.name,payload,velocity")]
    public void Fields_lists_every_field_root_the_condition_reads(string condition, string expected)
    {
        var compiled = PolicyCondition.Parse(condition).Condition!;
        Assert.Equal(expected, string.Join(',', compiled.Fields.Order(StringComparer.Ordinal)));
    }
}
