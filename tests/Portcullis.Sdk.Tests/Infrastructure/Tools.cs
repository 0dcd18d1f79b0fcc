using System.Diagnostics;
using System.Text;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>Finds the programs the samples need (node, npm, python3, dotnet) and runs build commands.</summary>
public static class Tools
{
    /// <summary>The first executable of that name on PATH; fails with a clear message when there is none.</summary>
    public static string Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"`{name}` is not on PATH; the SDK end-to-end tests need Node 20 with npm, Python 3 and .NET");
    }

    /// <summary>
    /// The dotnet host: the one `dotnet test` names (DOTNET_HOST_PATH), the one running this process, or PATH's.
    /// </summary>
    public static string Dotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : Find("dotnet");
    }

    /// <summary>Runs a command to completion with no standard input; throws with its output when it fails.</summary>
    public static async Task RunAsync(string workingDirectory, TimeSpan timeout, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var output = new StringBuilder();
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
            throw new TimeoutException($"`{file} {string.Join(' ', args)}` in {workingDirectory} took over {timeout}");
        }

        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{Path.GetFileName(file)} {string.Join(' ', args)}` in {workingDirectory} exited with {process.ExitCode}:\n{output}");
        }
    }
}
