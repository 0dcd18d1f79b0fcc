using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portcullis.Server.Tests.McpGateway;

/// <summary>
/// Real upstream MCP servers, run with Node from tests/mcp-upstream: the reference <c>server-everything</c> (npm) in its
/// streamable-HTTP mode, and a tiny server of our own whose tool description comes from the environment. The node project
/// is installed once per test run with <c>npm ci</c>.
/// </summary>
public sealed class UpstreamMcpServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static bool _installed;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private UpstreamMcpServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/mcp";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string ProjectDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "tests", "mcp-upstream");
        }
    }

    /// <summary><c>server-everything</c>, streamable HTTP on a free port.</summary>
    public static Task<UpstreamMcpServer> EverythingAsync() =>
        StartAsync(["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"], new Dictionary<string, string>());

    /// <summary>The pinned-tool server: one tool, <c>lookup</c>, described by <paramref name="description"/> (and <paramref name="extraTool"/> if given).</summary>
    public static Task<UpstreamMcpServer> PinnedAsync(
        string description, string? requiredToken = null, int? port = null, int callDelayMs = 0, string? extraTool = null) =>
        StartAsync(["pinned-tool-server.mjs"], new Dictionary<string, string>
        {
            ["TOOL_DESCRIPTION"] = description,
            ["REQUIRED_TOKEN"] = requiredToken ?? "",
            ["CALL_DELAY_MS"] = callDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EXTRA_TOOL"] = extraTool ?? "",
        }, port);

    /// <summary>How many tools/call requests the pinned-tool server received.</summary>
    public async Task<int> CallsAsync()
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync($"http://127.0.0.1:{Port}/calls");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("calls").GetInt32();
    }

    private static async Task<UpstreamMcpServer> StartAsync(string[] args, Dictionary<string, string> environment, int? port = null)
    {
        await EnsureInstalledAsync();
        var chosen = port ?? FreePort();
        var info = new ProcessStartInfo("node") { WorkingDirectory = ProjectDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PORT"] = chosen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment.Where(e => e.Value.Length > 0))
        {
            info.Environment[key] = value;
        }

        var upstream = new UpstreamMcpServer(Process.Start(info)!, chosen);
        upstream._process.StandardInput.Close();
        upstream._process.OutputDataReceived += (_, e) => upstream.Append(e.Data);
        upstream._process.ErrorDataReceived += (_, e) => upstream.Append(e.Data);
        upstream._process.BeginOutputReadLine();
        upstream._process.BeginErrorReadLine();
        await upstream.WaitListeningAsync();
        return upstream;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the upstream MCP server exited:\n{Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"the upstream MCP server did not listen on {Port}:\n{Output}");
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            var info = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = ProjectDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            info.Environment["NPM_CONFIG_UPDATE_NOTIFIER"] = "false";
            info.Environment["NPM_CONFIG_PROGRESS"] = "false";
            using var npm = Process.Start(info)!;
            npm.StandardInput.Close();
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            Assert.True(npm.ExitCode == 0, $"npm ci failed in {ProjectDirectory}:\n{await stdout}\n{await stderr}");
            _installed = true;
        }
        finally
        {
            Install.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
