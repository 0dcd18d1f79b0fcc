using Npgsql;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>What Portcullis adds to an operator's PostgreSQL connection string, and that it never overrides what they wrote.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void Statements_are_prepared_automatically_and_pooled_connections_not_reset_by_default()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=db;Username=u;Password=p;Database=d"));

        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(PostgresConnectionDefaults.AutoPrepareMinUsages, applied.AutoPrepareMinUsages);
        Assert.True(applied.NoResetOnClose);
        Assert.Equal("db", applied.Host);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;Auto Prepare Min Usages=5;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;AUTOPREPAREMINUSAGES=5;noresetonclose=false")]
    public void What_the_operator_wrote_is_kept_even_an_explicit_zero(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString));

        Assert.Equal(0, applied.MaxAutoPrepare);
        Assert.Equal(5, applied.AutoPrepareMinUsages);
        Assert.False(applied.NoResetOnClose);
    }
}
