using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Host;

/// <summary>Several instances starting at once against one store migrate and seed exactly once.</summary>
public sealed class ConcurrentStartTests
{
    [Theory]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.Sqlite)]
    public async Task Three_instances_starting_together_apply_each_migration_once_and_seed_one_workspace(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var factories = Enumerable.Range(0, 3).Select(_ => new PortcullisFactory(database)).ToList();
        try
        {
            await Task.WhenAll(factories.Select(f => Task.Run(() => f.Server)));

            var db = factories[0].Services.GetRequiredService<Database>();
            await using var connection = await db.OpenAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workspaces"));
            var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToList();
            Assert.Equal(versions.Distinct().Count(), versions.Count);
            Assert.Equal(MigrationRunner.Load(provider).Count, versions.Count);

            foreach (var factory in factories)
            {
                var client = factory.CreateClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", Seed.AgentKey);
                var response = await client.PostJson("/api/ingest/run-start", new { triggerType = "t" });
                await response.AssertStatus(System.Net.HttpStatusCode.Created);
            }
        }
        finally
        {
            foreach (var factory in factories)
            {
                await factory.DisposeAsync();
            }
        }
    }
}
