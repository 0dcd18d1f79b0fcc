using System.Net.Http.Headers;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary><c>portcullis policy pull|push</c> against a real server process, as a team keeping policies in git would run them.</summary>
public sealed class PolicyPushPullTests : IDisposable
{
    private const string AdminToken = "pat_PolicyPushPullAdminToken0000000000000";
    private readonly string _directory = Directory.CreateTempSubdirectory("portcullis-push-").FullName;

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Push_prints_the_diff_dry_run_changes_nothing_and_pull_writes_what_was_pushed()
    {
        await using var server = await PortcullisProcess.StartAsync(_directory, new Dictionary<string, string> { ["Portcullis__Init__AdminToken"] = AdminToken });
        var remote = new[] { "--url", server.BaseUrl, "--token", AdminToken };
        var file = Write("policies.json", """
            // kept in git: comments and trailing commas are fine
            [
              { "name": "big refunds", "condition": "action_type = refund.create AND payload.amount > 5000", "decision": "require_approval" },
              { "name": "no sms", "condition": "action_type = sms.send", "decision": "block", "reason": "not yet" },
            ]
            """);

        var (code, output) = await PortcullisProcess.RunAsync(_directory, ["policy", "push", file, "--dry-run", .. remote]);
        Assert.True(code == 0, output);
        Assert.Contains("+ big refunds", output);
        Assert.Contains("dry run", output);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Assert.DoesNotContain("big refunds", await http.GetStringAsync("/api/policies"));

        (code, output) = await PortcullisProcess.RunAsync(_directory, ["policy", "push", file, .. remote]);
        Assert.True(code == 0, output);
        Assert.Contains("2 added", output);
        Assert.Contains("big refunds", await http.GetStringAsync("/api/policies"));

        // URL and token from the environment; the pulled file is what the server exports, and re-pushing it changes nothing.
        var environment = new Dictionary<string, string> { ["PORTCULLIS_URL"] = server.BaseUrl, ["PORTCULLIS_TOKEN"] = AdminToken };
        var pulled = Path.Combine(_directory, "pulled.json");
        (code, output) = await PortcullisProcess.RunAsync(_directory, environment, "policy", "pull", pulled);
        Assert.True(code == 0, output);
        Assert.Equal(await http.GetStringAsync("/api/policies/export"), File.ReadAllText(pulled));
        Assert.Equal(["big refunds", "no sms"], JsonDocument.Parse(File.ReadAllText(pulled)).RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        (code, output) = await PortcullisProcess.RunAsync(_directory, environment, "policy", "push", pulled);
        Assert.True(code == 0, output);
        Assert.Contains("nothing to change", output);
    }

    [Fact]
    public async Task Push_of_a_bad_file_exits_1_with_the_diagnostics_and_missing_settings_or_a_bad_token_are_clear_errors()
    {
        await using var server = await PortcullisProcess.StartAsync(_directory, new Dictionary<string, string> { ["Portcullis__Init__AdminToken"] = AdminToken });
        var bad = Write("bad.json", """[{ "name": "broken", "condition": "payload.amount >", "decision": "block" }]""");

        var (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "push", bad, "--url", server.BaseUrl, "--token", AdminToken);
        Assert.Equal(1, code);
        Assert.Contains("policy `broken`: 1:", output);
        Assert.Contains("nothing was changed", output);

        (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "pull", "--token", AdminToken);
        Assert.Equal(2, code);
        Assert.Contains("PORTCULLIS_URL", output);

        (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "pull", "--url", server.BaseUrl, "--token", "pat_wrong");
        Assert.Equal(3, code);
        Assert.Contains("401", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
