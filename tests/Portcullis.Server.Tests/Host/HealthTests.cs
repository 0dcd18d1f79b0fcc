using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Host;

public abstract class HealthTests(ServerFixture server)
{
    [Fact]
    public async Task Live_and_ready_answer_200_once_migrated()
    {
        await (await server.Anonymous().GetAsync("/health/live")).AssertStatus(HttpStatusCode.OK);
        await (await server.Anonymous().GetAsync("/health/ready")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_migration_is_recorded_once()
    {
        var database = server.Factory.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(MigrationRunner.Load(database.Provider).Select(m => (long)m.Version), versions);
        Assert.Empty(await MigrationRunner.ApplyAsync(database));
    }

    [Fact]
    public async Task Responses_carry_a_request_id_and_echo_a_plain_one()
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Add("X-Request-Id", "trace-abc-123");
        var response = await client.GetAsync("/health/live");
        Assert.Equal("trace-abc-123", response.Headers.GetValues("X-Request-Id").Single());

        var hostile = server.Anonymous();
        hostile.DefaultRequestHeaders.TryAddWithoutValidation("X-Request-Id", "<script>");
        var other = await hostile.GetAsync("/health/live");
        Assert.NotEqual("<script>", other.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_agent_endpoints()
    {
        var text = await (await server.Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/ingest/run-start", "/api/ingest/events", "/api/ingest/run-end", "/api/runs" })
        {
            Assert.Contains($"\"{path}\"", text);
        }
    }
}

public sealed class HealthSqliteTests(SqliteServer s) : HealthTests(s), IClassFixture<SqliteServer>;

public sealed class HealthPostgresTests(PostgresServer s) : HealthTests(s), IClassFixture<PostgresServer>;
