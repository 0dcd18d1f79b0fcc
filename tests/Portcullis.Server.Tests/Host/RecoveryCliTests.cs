using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary>Recovery without deleting data: <c>portcullis admin reset-password</c> and <c>portcullis agents keys create</c>.</summary>
public sealed class RecoveryCliTests : IDisposable
{
    private const string Email = "owner@recovery.example";
    private const string LostPassword = "the password nobody remembers";
    private readonly string _directory = Directory.CreateTempSubdirectory("portcullis-recovery-").FullName;

    private Dictionary<string, string> Environment => new()
    {
        ["Portcullis__Init__AdminEmail"] = Email,
        ["Portcullis__Init__AdminPassword"] = LostPassword,
        ["Portcullis__Init__AgentName"] = "refund-bot",
    };

    [Fact]
    public async Task A_lost_password_and_a_lost_agent_key_are_replaced_from_the_shell_printed_once_and_audited()
    {
        var (code, output) = await PortcullisProcess.RunAsync(_directory, Environment, "admin", "reset-password", "--email", Email);
        Assert.True(code == 0, output);
        var password = Regex.Match(output, "shown this once: (\\S+)").Groups[1].Value;
        Assert.True(password.Length >= 20, output);

        (code, output) = await PortcullisProcess.RunAsync(_directory, Environment, "agents", "keys", "create", "--agent", "refund-bot");
        Assert.True(code == 0, output);
        var key = Regex.Match(output, "shown this once: (pk_\\S+)").Groups[1].Value;
        Assert.NotEmpty(key);

        await using var server = await PortcullisProcess.StartAsync(_directory, Environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        await (await http.PostJson("/api/auth/login", new { email = Email, password = LostPassword })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var login = await (await http.PostJson("/api/auth/login", new { email = Email, password })).Json();
        using var agent = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await (await agent.PostJson("/api/ingest/run-start", new { triggerType = "recovered" })).AssertStatus(HttpStatusCode.Created);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
        var audit = await (await http.GetAsync("/api/audit")).Content.ReadAsStringAsync();
        Assert.Contains("member.password_reset", audit);
        Assert.Contains("agent_key.created", audit);
        Assert.DoesNotContain(key, audit);

        (code, output) = await PortcullisProcess.RunAsync(_directory, Environment, "admin", "reset-password", "--email", "nobody@recovery.example");
        Assert.Equal(2, code);
        Assert.Contains("no user with the email", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
