using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// On PostgreSQL a request mostly waits on the database, and idle thread-pool workers that spin before they sleep burn CPU
/// that PostgreSQL needs when it shares the machine. Measured (docs/benchmarks.md, PostgreSQL section): without the spin the
/// requestAction p99 fell from 19–27 to 12–13 ms at the same throughput. On SQLite the spin pays for itself (without it
/// throughput fell ~10 % and the MCP path slowed), so it stays there. An operator's own
/// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> wins either way.
/// </summary>
public static class ThreadPoolTuning
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Call before anything runs on the thread pool: the pool reads the setting once, when its first worker starts.</summary>
    public static void ForStore(IConfiguration configuration)
    {
        // The raw value, parsed as the options binder does: a bad one is reported by the options' own validation later.
        var provider = configuration[StorageOptions.Section + ":" + nameof(StorageOptions.Provider)];
        if (Enum.TryParse<StorageProvider>(provider, ignoreCase: true, out var store) && store == StorageProvider.Postgres
            && Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }
}
