using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>The SDKs, each with its refund agent sample.</summary>
public enum SdkLanguage
{
    TypeScript,
    Python,
    DotNet,
}

/// <summary>One refund agent sample, run as a child process exactly as a user would run it.</summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private SampleProcess(SdkLanguage sdk, Process process)
    {
        SdkLanguage = sdk;
        _process = process;
    }

    public SdkLanguage SdkLanguage { get; }

    public string Output
    {
        get { lock (_lines) { return string.Join('\n', _lines); } }
    }

    public static SampleProcess Start(SdkLanguage sdk, Uri baseUrl, string agentKey, IReadOnlyDictionary<string, string> environment)
    {
        var info = Command(sdk);
        info.WorkingDirectory = Repository.Root;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["PORTCULLIS_BASE_URL"] = baseUrl.ToString().TrimEnd('/');
        info.Environment["PORTCULLIS_AGENT_KEY"] = agentKey;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var sample = new SampleProcess(sdk, process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> and returns its first group.</summary>
    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lines)
            {
                if (_lines.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } match)
                {
                    return match.Groups[1].Value;
                }
            }

            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // drains the output
                break;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the {SdkLanguage} sample printed no line like `{pattern}`:\n{Output}");
    }

    /// <summary>Waits for the sample to finish; its last line is the JSON summary.</summary>
    public async Task<SampleResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the {SdkLanguage} sample did not finish within {timeout}:\n{Output}");
        }

        List<string> lines;
        lock (_lines)
        {
            lines = [.. _lines];
        }

        return new SampleResult(SdkLanguage, _process.ExitCode, lines);
    }

    private static ProcessStartInfo Command(SdkLanguage sdk)
    {
        switch (sdk)
        {
            case SdkLanguage.TypeScript:
                return new ProcessStartInfo(Tools.Find("node")) { ArgumentList = { Path.Combine(TypeScriptBuild.SampleFolder, "dist", "refund-agent.js") } };
            case SdkLanguage.Python:
                var python = new ProcessStartInfo(Tools.Find("python3")) { ArgumentList = { Repository.PathOf("samples", "python", "refund_agent.py") } };
                python.Environment["PYTHONPATH"] = Repository.PathOf("sdk", "python", "src");
                python.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
                return python;
            default:
                // Built with this project (a project reference), so the test runs the sample of this very build.
                return new ProcessStartInfo(Tools.Dotnet()) { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "RefundAgent.dll") } };
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
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

/// <summary>A finished sample: its exit code, its lines, and the JSON summary of its last line.</summary>
public sealed record SampleResult(SdkLanguage SdkLanguage, int ExitCode, IReadOnlyList<string> Lines)
{
    public string Output => string.Join('\n', Lines);

    public JsonElement Summary
    {
        get
        {
            var last = Lines.LastOrDefault(l => !l.StartsWith("stderr: ", StringComparison.Ordinal)) ?? "";
            try
            {
                using var doc = JsonDocument.Parse(last);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new InvalidOperationException($"the {SdkLanguage} sample's last line is not its JSON summary:\n{Output}");
            }
        }
    }

    public string? SummaryString(string name) =>
        Summary.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
