using System.Text.Json;

namespace Portcullis.Server.Tests.Host;

/// <summary><c>portcullis policy …</c>: testing policies offline, as a user's CI would.</summary>
public sealed class PolicyCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portcullis-cli-").FullName;

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Check_passes_valid_files_and_fails_with_the_diagnostic_position()
    {
        var good = Write("good.json", """[{"name":"big refunds","condition":"action_type = refund.create AND payload.amount > 5000","decision":"require_approval"}]""");
        var (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "check", good);
        Assert.True(code == 0, output);

        var bad = Write("bad.json", """[{"name":"broken","condition":"payload.amount >","decision":"block"}]""");
        (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "check", bad);
        Assert.Equal(1, code);
        Assert.Contains("broken", output);
        Assert.Contains("1:", output);
    }

    [Fact]
    public async Task Eval_prints_the_decision_as_json()
    {
        var policies = Write("p.json", """[{"name":"big refunds","condition":"action_type = refund.create AND payload.amount > 5000","decision":"require_approval","reason":"over $50"}]""");
        var request = Write("r.json", """{"actionType":"refund.create","provider":"stripe","payload":{"charge":"ch_1","amount":7999}}""");
        var (code, output) = await PortcullisProcess.RunAsync(_directory, "policy", "eval", "--policies", policies, "--request", request);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.Equal("require_approval", doc.RootElement.GetProperty("decision").GetString());
        Assert.Equal("over $50", doc.RootElement.GetProperty("reason").GetString());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
