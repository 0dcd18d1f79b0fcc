using System.Globalization;
using System.Net;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Approvals.Slack;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;
using static Portcullis.Server.Tests.Recovery.CrashRecoveryTests;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// The real server process killed with SIGKILL after an action was held but before its Slack message was posted: the post,
/// queued as a job in the approval's transaction, is made once by the restarted server.
/// </summary>
public sealed class SlackPostCrashTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_slack_post_queued_before_a_kill_9_is_posted_once_after_the_restart(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var slack = await FakeHttp.StartAsync((r, i) => r.Path switch
        {
            "/api/auth.test" => (200, $$"""{"ok":true,"team":"Acme","user":"portcullis","team_id":"{{SlackServer.TeamId}}","user_id":"U0BOT"}"""),
            "/api/chat.postMessage" => (200, $$"""{"ok":true,"channel":"{{SlackServer.ChannelId}}","ts":"1700000000.{{i.ToString("D6", CultureInfo.InvariantCulture)}}"}"""),
            _ => (200, """{"ok":true}"""),
        });
        var environment = new Dictionary<string, string>(Environment(db, "http://127.0.0.1:9")) { ["Portcullis__Slack__ApiBaseUrl"] = slack.BaseUrl + "/api" };
        var workDir = Directory.CreateTempSubdirectory("portcullis-slack-crash-").FullName;
        string approvalId;
        const string BotToken = "fake-slack-bot-token-crash-test";
        // The first instance's worker only looks for jobs at start: the post stays queued until it is killed.
        await using (var first = await PortcullisProcess.StartAsync(workDir, new Dictionary<string, string>(environment) { ["Portcullis__Jobs__PollIntervalMs"] = "3600000" }))
        {
            using var admin = Client(first.BaseUrl, AdminToken);
            var connect = await admin.PutAsync("/api/integrations/slack",
                SlackServer.JsonContent(new { botToken = BotToken, signingSecret = "fake-slack-signing-secret", defaultChannel = "approvals" }));
            await connect.AssertStatus(HttpStatusCode.OK);
            await RequireApprovalAsync(admin);
            approvalId = (await RequestRefundAsync(Client(first.BaseUrl, AgentKey))).ApprovalId;
            await Task.Delay(500);
            Assert.Empty(Posts(slack, approvalId));
            await first.KillAsync();
        }

        await using var second = await PortcullisProcess.StartAsync(workDir, new Dictionary<string, string>(environment) { ["Portcullis__Jobs__PollIntervalMs"] = "100" });
        await EventuallyAsync(() => Task.FromResult(Posts(slack, approvalId).Count > 0), TimeSpan.FromSeconds(15), "the Slack post");
        await Task.Delay(1000);

        var post = Assert.Single(Posts(slack, approvalId));
        Assert.Equal($"Bearer {BotToken}", post.Header("Authorization"));
    }

    private static List<Received> Posts(FakeHttp slack, string approvalId) =>
        slack.To("/api/chat.postMessage").Where(r => r.Body.Contains(approvalId, StringComparison.Ordinal)).ToList();
}
