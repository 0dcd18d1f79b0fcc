using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Bench;

/// <summary>
/// The store a bench's server runs on. <c>--store sqlite</c> (the default): the server's own file in its data directory.
/// <c>--store postgres</c>: a fresh database, dropped afterwards, on the server that <c>--connection</c> names (its role
/// must create databases), or else on a throw-away PostgreSQL the bench starts itself the way scripts/start-postgres.sh
/// does, durable (fsync and <c>synchronous_commit</c> on, as in production) unless <c>--pg-durable off</c>.
/// </summary>
public sealed class BenchStore : IAsyncDisposable
{
    private readonly LocalPostgres? _local;

    private BenchStore(string name, ScratchPostgres? database, LocalPostgres? local)
    {
        Name = name;
        Postgres = database;
        _local = local;
    }

    public string Name { get; }

    /// <summary>The scratch database when the store is PostgreSQL.</summary>
    public ScratchPostgres? Postgres { get; }

    /// <summary>The settings that point the server at this store.</summary>
    public Dictionary<string, string> ServerEnvironment => Postgres is null
        ? []
        : new() { ["Portcullis__Storage__Provider"] = "Postgres", ["Portcullis__Storage__ConnectionString"] = Postgres.ConnectionString };

    /// <summary>
    /// CPU time the bench's own PostgreSQL server has used so far (its backends and helpers), or null for SQLite or a
    /// server given by --connection. Like the server's CPU per request, the machine's load does not inflate it.
    /// </summary>
    public TimeSpan? DatabaseCpuTime => _local?.CpuTime();

    public string Describe() => Postgres is null ? "SQLite" : $"PostgreSQL ({_local?.Describe() ?? "given by --connection"})";

    public static async Task<BenchStore> OpenAsync(BenchArgs args, string? store = null)
    {
        store ??= args.String("store") ?? "sqlite";
        if (store == "sqlite")
        {
            return new BenchStore(store, null, null);
        }

        if (store != "postgres")
        {
            throw new ArgumentException($"--store {store}: sqlite or postgres");
        }

        var admin = args.String("connection") ?? args.String("postgres");
        var local = admin is null ? await LocalPostgres.StartAsync(args.String("pg-durable") != "off") : null;
        return new BenchStore(store, await ScratchPostgres.CreateAsync(admin ?? local!.AdminConnectionString), local);
    }

    public async ValueTask DisposeAsync()
    {
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        _local?.Stop();
    }

    /// <summary>A PostgreSQL server in a temporary data directory, started by scripts/start-postgres.sh and stopped at the end.</summary>
    private sealed class LocalPostgres(string dataDirectory, string bin, string admin, bool durable)
    {
        public string AdminConnectionString => admin;

        public string Describe() => $"throw-away server, {(durable ? "fsync and synchronous_commit on" : "fsync and synchronous_commit off")}";

        public static async Task<LocalPostgres> StartAsync(bool durable)
        {
            var parent = Directory.CreateTempSubdirectory("portcullis-bench-pg-").FullName;
            // The script runs PostgreSQL as its own user, who must reach the data directory inside this one.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
            }

            var data = Path.Combine(parent, "data");
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
            info.ArgumentList.Add(Path.Combine(ServerProcess.FindRepositoryRoot(), "scripts", "start-postgres.sh"));
            info.Environment["PORTCULLIS_PGPORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
            info.Environment["PORTCULLIS_PGDATA"] = data;
            info.Environment["PORTCULLIS_PG_DURABLE"] = durable ? "1" : "0";
            using var script = Process.Start(info)!;
            var exports = await script.StandardOutput.ReadToEndAsync();
            await script.WaitForExitAsync();
            string Export(string name) => exports.Split('\n').Single(l => l.StartsWith($"export {name}=", StringComparison.Ordinal)).Split('=', 2)[1].Trim('\'');
            return script.ExitCode == 0
                ? new LocalPostgres(data, Export("PORTCULLIS_PGBIN"), Export("PORTCULLIS_TEST_POSTGRES"), durable)
                : throw new InvalidOperationException("scripts/start-postgres.sh failed");
        }

        public TimeSpan CpuTime()
        {
            // /proc/PID/stat: utime and stime in clock ticks of 1/100 s, counted after the parenthesised name.
            var postmaster = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim();
            long ticks = 0;
            foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(directory, "stat")).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields[1] == postmaster || Path.GetFileName(directory) == postmaster)
                    {
                        ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // the process ended meanwhile
                }
            }

            return TimeSpan.FromMilliseconds(ticks * 10);
        }

        public void Stop()
        {
            var stop = $"{bin}/pg_ctl -D {dataDirectory} -m fast -w stop";
            var info = Environment.UserName == "root" ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/sh", "-c", stop]) : new ProcessStartInfo("sh", ["-c", stop]);
            info.RedirectStandardOutput = true; // pg_ctl's progress lines are not the bench's figures
            using var process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
