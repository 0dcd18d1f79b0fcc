using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portcullis.Policies.Tooling;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis policy pull|push</c>: a workspace's policies as a file kept in git, through the management API
/// (<c>/api/policies/export|import</c>). Exit codes: 0 done, 1 the file has problems (printed as <c>policy check</c>
/// prints them), 2 a usage error or an unreadable file, 3 the server refused the call or could not be reached.
/// </summary>
public sealed class PolicyRemote(string url, string token, TextWriter stdout, TextWriter stderr)
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int Usage = 2;
    public const int ServerError = 3;

    /// <summary>The remote built from options or <c>PORTCULLIS_URL</c> / <c>PORTCULLIS_TOKEN</c>; null after saying what is missing.</summary>
    public static PolicyRemote? From(string? url, string? token, TextWriter stdout, TextWriter stderr)
    {
        url ??= Environment.GetEnvironmentVariable("PORTCULLIS_URL");
        token ??= Environment.GetEnvironmentVariable("PORTCULLIS_TOKEN");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine(string.IsNullOrWhiteSpace(url)
                ? "no server: pass --url or set PORTCULLIS_URL"
                : $"the server URL `{url}` must be an absolute http(s) URL");
            return null;
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            stderr.WriteLine("no token: pass --token or set PORTCULLIS_TOKEN (a personal access token, pat_…)");
            return null;
        }

        return new PolicyRemote(url.TrimEnd('/'), token, stdout, stderr);
    }

    /// <summary>Writes the workspace's policies file to <paramref name="file"/>, or to standard output when it is null.</summary>
    public async Task<int> PullAsync(string? file, CancellationToken ct)
    {
        using var http = Client();
        var (response, failed) = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, "/api/policies/export"), ct);
        if (response is null)
        {
            return failed;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Refused(response.StatusCode, body);
            }

            if (file is null)
            {
                stdout.Write(body);
                return Ok;
            }

            try
            {
                await File.WriteAllTextAsync(file, body, new UTF8Encoding(false), ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                stderr.WriteLine($"{file}: cannot write file: {e.Message}");
                return Usage;
            }

            var count = JsonDocument.Parse(body).RootElement.GetArrayLength();
            stdout.WriteLine($"{file}: {count} {(count == 1 ? "policy" : "policies")} pulled from {url}");
            return Ok;
        }
    }

    /// <summary>Imports <paramref name="file"/> (or, with <paramref name="dryRun"/>, only asks what would change) and prints the diff.</summary>
    public async Task<int> PushAsync(string file, bool dryRun, CancellationToken ct)
    {
        string json;
        using (var doc = PolicyFile.ReadJson(file, stderr))
        {
            if (doc is null)
            {
                return Usage;
            }

            // Re-serialised: the server reads strict JSON, a file in git may hold comments and trailing commas.
            json = JsonSerializer.Serialize(doc.RootElement);
        }

        using var http = Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies/import" + (dryRun ? "?dryRun=true" : ""))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        var (response, failed) = await SendAsync(http, request, ct);
        if (response is null)
        {
            return failed;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => PolicyPushOutput.PrintDiff(stdout, file, body),
                HttpStatusCode.BadRequest when PolicyPushOutput.PrintFileProblems(stdout, file, body) => Problems,
                _ => Refused(response.StatusCode, body),
            };
        }
    }

    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<(HttpResponseMessage? Response, int ExitCode)> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return (await http.SendAsync(request, ct), Ok);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            stderr.WriteLine($"cannot reach {url}: {e.Message}");
            return (null, ServerError);
        }
        finally
        {
            request.Dispose();
        }
    }

    private int Refused(HttpStatusCode status, string body)
    {
        stderr.WriteLine($"{url} answered {(int)status}: {PolicyPushOutput.ProblemSummary(body)}");
        return status == HttpStatusCode.BadRequest ? Problems : ServerError;
    }
}
