using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Security;

/// <summary>A server of its own, so its database can be made read-only without disturbing other tests.</summary>
public sealed class OutageServer() : ServerFixture(Portcullis.Storage.StorageProvider.Postgres);

/// <summary>Health and outages: a store that does not take writes is not ready, and requests answer 503 with Retry-After, not 500.</summary>
public sealed class StoreOutageTests(OutageServer server) : IClassFixture<OutageServer>
{
    [Fact]
    public async Task A_read_only_database_makes_ready_503_and_writes_answer_503_service_unavailable_with_retry_after()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await server.Anonymous().GetAsync("/health/ready")).AssertStatus(HttpStatusCode.OK);
        var name = new NpgsqlConnectionStringBuilder(server.Factory.TestDatabase.ConnectionString).Database!;
        await SetReadOnlyAsync(name, true);
        try
        {
            // The first use of each pooled connection may find it cut; either way the answer is an outage, never a 500.
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Anonymous().GetAsync("/health/ready")).StatusCode);
                var write = await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = "outage" });
                await write.AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
                Assert.Equal(TimeSpan.FromSeconds(5), write.Headers.RetryAfter?.Delta);
            }
        }
        finally
        {
            await SetReadOnlyAsync(name, false);
        }

        // Back to writable: ready again once the cut connections have been replaced.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5 && statuses.LastOrDefault() != HttpStatusCode.OK; i++)
        {
            statuses.Add((await server.Anonymous().GetAsync("/health/ready")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses.Last());
    }

    private static async Task SetReadOnlyAsync(string database, bool readOnly)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString());
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {database} SET default_transaction_read_only = {(readOnly ? "on" : "off")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        // The setting reaches new sessions only: end the server's, so its pool reconnects under the new rule.
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("database", database);
        await terminate.ExecuteNonQueryAsync();
    }
}

/// <summary><c>portcullis audit verify</c> against a database without an audit table explains it and exits 3, not 1 (tampered).</summary>
public sealed class AuditVerifyMissingTableTests
{
    [Fact]
    public async Task Verify_on_a_database_without_an_audit_table_says_so_and_exits_3()
    {
        var directory = Directory.CreateTempSubdirectory("portcullis-noaudit-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"),
                System.Text.Json.JsonSerializer.Serialize(new { Portcullis = new { DataDirectory = directory } }));
            var (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify");
            Assert.True(code == 0, output);
            await using (var c = new SqliteConnection($"Data Source={Path.Combine(directory, "portcullis.db")};Pooling=false"))
            {
                await c.OpenAsync();
                await using var drop = c.CreateCommand();
                drop.CommandText = "DROP TABLE audit_entries";
                await drop.ExecuteNonQueryAsync();
            }

            (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify");

            Assert.True(code == 3, output);
            Assert.Contains("no audit table", output);
            Assert.DoesNotContain("Exception", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
