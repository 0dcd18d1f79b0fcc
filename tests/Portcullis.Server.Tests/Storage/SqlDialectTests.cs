using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>What each store's dialect splices into SQL; the features' tests run the statements on both stores.</summary>
public sealed class SqlDialectTests
{
    [Fact]
    public void Sqlite_takes_no_row_locks_since_it_has_one_writer()
    {
        var sqlite = SqlDialect.Sqlite;

        Assert.Equal("", sqlite.ForUpdate);
        Assert.Equal("", sqlite.ForNoKeyUpdate);
        Assert.Equal("", sqlite.ForNoKeyUpdateOf("a"));
        Assert.Equal("", sqlite.ForShare);
    }

    [Fact]
    public void Postgres_row_locks_are_suffixes_with_a_leading_space()
    {
        var postgres = SqlDialect.Postgres;

        Assert.Equal(" FOR UPDATE", postgres.ForUpdate);
        Assert.Equal(" FOR NO KEY UPDATE", postgres.ForNoKeyUpdate);
        Assert.Equal(" FOR NO KEY UPDATE OF a", postgres.ForNoKeyUpdateOf("a"));
        Assert.Equal(" FOR SHARE", postgres.ForShare);
    }

    [Fact]
    public void A_list_match_is_expanded_by_dapper_on_sqlite_and_an_array_on_postgres()
    {
        Assert.Equal("IN @approvalIds", SqlDialect.Sqlite.InList("approvalIds"));
        Assert.Equal("= ANY(@approvalIds)", SqlDialect.Postgres.InList("approvalIds"));
    }

    [Fact]
    public void Json_paths_quote_every_property_name_on_sqlite_and_are_text_arrays_on_postgres()
    {
        object[] segments = ["items", 0, "pri\"ce.usd"];

        Assert.Equal("$.\"items\"[0].\"pri\\\"ce.usd\"", SqlDialect.Sqlite.JsonPath(segments));
        Assert.Equal(new[] { "items", "0", "pri\"ce.usd" }, SqlDialect.Postgres.JsonPath(segments));
    }

    [Theory]
    [InlineData("a; DROP TABLE runs")]
    [InlineData("")]
    [InlineData("1a")]
    public void Names_spliced_into_sql_must_be_plain_identifiers(string name)
    {
        Assert.Throws<ArgumentException>(() => SqlDialect.Postgres.ForNoKeyUpdateOf(name));
        Assert.Throws<ArgumentException>(() => SqlDialect.Sqlite.InList(name));
        Assert.Throws<ArgumentException>(() => SqlDialect.Postgres.JsonNumber("r." + name, "path"));
    }

    [Fact]
    public void The_dialect_follows_the_provider()
    {
        Assert.Same(SqlDialect.Sqlite, SqlDialect.For(StorageProvider.Sqlite));
        Assert.Same(SqlDialect.Postgres, SqlDialect.For(StorageProvider.Postgres));
    }
}
