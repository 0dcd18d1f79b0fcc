using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>
/// A throw-away Debian <c>prometheus</c> (scripts/install-prometheus.sh) with its own port, data directory and a scrape
/// job for one target, polled every second.
/// </summary>
public sealed class RealPrometheus : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly string _directory;
    private readonly Process _process;
    private readonly HttpClient _http;

    private RealPrometheus(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public static RealPrometheus Start(string target, string bearerToken)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run `bash scripts/install-prometheus.sh` first");
        }

        var directory = Path.Combine(Path.GetTempPath(), "portcullis-prometheus", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: portcullis
                metrics_path: /metrics
                authorization:
                  credentials: {bearerToken}
                static_configs:
                  - targets: ['{target}']
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new RealPrometheus(directory, process, port);
    }

    /// <summary>Runs an instant query until it returns a sample (or the time-out), and answers the first sample's value.</summary>
    public async Task<double?> QueryUntilAsync(string promql, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                var body = await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
                using var json = JsonDocument.Parse(body);
                var result = json.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }

            await Task.Delay(500);
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
