using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>Ready means the database answers and its schema is in place.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            var version = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            return HealthCheckResult.Healthy($"schema version {version}");
        }
        catch (System.Data.Common.DbException ex)
        {
            return HealthCheckResult.Unhealthy("the database is not reachable", ex);
        }
    }
}
