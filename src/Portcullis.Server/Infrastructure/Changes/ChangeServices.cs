using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>The change feed: in-process on SQLite (one instance), <c>LISTEN/NOTIFY</c> across instances on PostgreSQL.</summary>
public static class ChangeServices
{
    public static IServiceCollection AddChangeFeed(this IServiceCollection services)
    {
        services.AddSingleton<ChangeHub>();
        services.AddSingleton<PostgresChangeFeed>();
        services.AddSingleton<IChangeFeed>(sp => sp.GetRequiredService<Database>().IsSqlite
            ? new InProcessChangeFeed(sp.GetRequiredService<ChangeHub>())
            : sp.GetRequiredService<PostgresChangeFeed>());
        services.AddSingleton<PostgresListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresListener>());
        services.AddHostedService<PostgresNotifier>();
        return services;
    }
}
