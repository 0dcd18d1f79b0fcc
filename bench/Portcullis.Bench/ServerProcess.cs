using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Bench;

/// <summary>Starts a Release build of the server in a scratch data directory, with a known agent key.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AgentKey = "pk_live_BenchAgentKey000000000000000000000000";

    /// <summary>The owner's access token, for the few member-only calls a bench makes (creating a workflow).</summary>
    public const string AdminToken = "pat_BenchAdminToken00000000000000000000";

    private readonly Process _process;

    private ServerProcess(Process process, string url, string dataDirectory)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
    }

    public string Url { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the server has used so far: contention on a shared machine does not inflate it.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="environment">More settings for the server, e.g. <c>Portcullis__Storage__Provider</c>.</param>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var root = FindRepositoryRoot();
        // PORTCULLIS_BENCH_SERVER (a portcullis.dll path) runs another build (a copy of an earlier bin folder) for an interleaved A/B in one session.
        var dll = Environment.GetEnvironmentVariable("PORTCULLIS_BENCH_SERVER") ?? Path.Combine(root, "src", "Portcullis.Server", "bin", "Release", "net10.0", "portcullis.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"build the server first: dotnet build -c Release src/Portcullis.Server ({dll} is missing)");
        }

        var data = Directory.CreateTempSubdirectory("portcullis-bench-").FullName;
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = data, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["Portcullis__Init__AgentKey"] = AgentKey;
        info.Environment["Portcullis__Init__AdminToken"] = AdminToken;
        info.Environment["Portcullis__RateLimits__AgentRequestsPerSecond"] = "1000000";
        info.Environment["Portcullis__RateLimits__AgentBurst"] = "1000000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Where(e => ((string)e.Key).StartsWith("BENCH_SERVER_", StringComparison.Ordinal)))
        {
            info.Environment[((string)key)["BENCH_SERVER_".Length..]] = (string?)value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[server] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync($"{url}/health/ready")).IsSuccessStatusCode)
                {
                    return new ServerProcess(process, url, data);
                }
            }
            catch (HttpRequestException)
            {
                // not up yet
            }

            await Task.Delay(100);
        }

        process.Kill(true);
        throw new TimeoutException("the server did not start");
    }

    public static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
