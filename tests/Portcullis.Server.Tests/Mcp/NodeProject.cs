using System.Diagnostics;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// The node project under <c>tests/mcp-node</c> (the TypeScript SDK client and the official conformance suite): installed
/// once per test run with <c>npm ci</c> from its committed lock file, then its scripts run against a server.
/// </summary>
public static class NodeProject
{
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    public static string Directory { get; } = FindDirectory();

    /// <summary>Runs <c>node script args…</c>; returns the exit code and the last line it printed (its JSON summary).</summary>
    public static async Task<(int ExitCode, string LastLine, string Output)> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        await Installed.Value;
        var (code, output) = await ExecAsync("node", [script, .. args], timeout);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{')) ?? "";
        return (code, last, output);
    }

    private static async Task<string> InstallAsync()
    {
        var (code, output) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
        return code == 0 ? output : throw new InvalidOperationException($"npm ci failed in {Directory}:\n{output}");
    }

    private static async Task<(int, string)> ExecAsync(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close(); // no stdin: nothing may wait for a prompt
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', args)}` ran longer than {timeout}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "mcp-node");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/mcp-node not found above the test assembly");
    }
}
