using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Ready means the database answers, its schema is in place and it takes a write: a one-row update through the same writer
/// every feature uses, so a full disk, a read-only file system or database, or a stuck writer all answer 503.
/// </summary>
public sealed class DatabaseHealthCheck(Database database, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            long version;
            await using (var connection = await database.OpenAsync(ct))
            {
                version = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE health_probe SET probed_at = @now WHERE id = 1", new { now }, t), ct);
            return HealthCheckResult.Healthy($"schema version {version}, writable");
        }
        catch (Exception ex) when (StoreOutage.Is(ex))
        {
            return HealthCheckResult.Unhealthy("the database is not reachable or does not take writes", ex);
        }
    }
}
