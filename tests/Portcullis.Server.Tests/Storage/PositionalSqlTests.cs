using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary><see cref="PositionalSql"/>: named parameters become positions once, and nothing else in the SQL changes.</summary>
public sealed class PositionalSqlTests
{
    [Fact]
    public void Each_name_gets_one_position_in_order_of_first_use()
    {
        var r = PositionalSql.Rewrite("SELECT status FROM runs WHERE id = @runId AND agent_id = @agentId OR parent = @RUNID");

        Assert.Equal("SELECT status FROM runs WHERE id = $1 AND agent_id = $2 OR parent = $1", r.Sql);
        Assert.Equal(["runId", "agentId"], r.Names);
    }

    [Theory]
    [InlineData("SELECT '@notAParam', @a", "SELECT '@notAParam', $1")]
    [InlineData("SELECT 'it''s @x', @a", "SELECT 'it''s @x', $1")]
    [InlineData("SELECT \"@odd\" FROM t WHERE x = @a", "SELECT \"@odd\" FROM t WHERE x = $1")]
    [InlineData("SELECT @a -- not @b\n, 1", "SELECT $1 -- not @b\n, 1")]
    [InlineData("SELECT /* @b */ @a", "SELECT /* @b */ $1")]
    [InlineData("SELECT x::text, @a::bigint", "SELECT x::text, $1::bigint")]
    [InlineData("SELECT doc @> '{}' AND @a", "SELECT doc @> '{}' AND $1")]
    [InlineData("SELECT @a_1, @_b", "SELECT $1, $2")]
    public void Quotes_comments_casts_and_operators_are_left_alone(string sql, string expected) =>
        Assert.Equal(expected, PositionalSql.Rewrite(sql).Sql);
}
