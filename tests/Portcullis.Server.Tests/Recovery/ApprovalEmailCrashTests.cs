using System.Net;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Approvals.Email;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Recovery.CrashRecoveryTests;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// The real server process killed with SIGKILL after an action was held but before its approval email went out: the email,
/// queued in the approval's transaction, is sent once by the restarted server, and its link works there.
/// </summary>
public sealed class ApprovalEmailCrashTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task An_approval_email_queued_before_a_kill_9_is_sent_once_after_the_restart(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var smtp = new SmtpSink();
        await smtp.InitializeAsync();
        try
        {
            var environment = EmailEnvironment(db, smtp.Port);
            var workDir = Directory.CreateTempSubdirectory("portcullis-email-crash-").FullName;
            string approvalId;
            // The first instance's worker only looks for jobs at start: the email stays queued until it is killed.
            var idleWorker = new Dictionary<string, string>(environment) { ["Portcullis__Jobs__PollIntervalMs"] = "3600000" };
            await using (var first = await PortcullisProcess.StartAsync(workDir, idleWorker))
            {
                using var admin = Client(first.BaseUrl, AdminToken);
                await ApprovalSteps.RequireApprovalAsync(admin);
                approvalId = (await ApprovalSteps.RequestRefundAsync(Client(first.BaseUrl, AgentKey))).ApprovalId;
                await Task.Delay(500);
                Assert.Empty(await smtp.MessagesAsync(approvalId));
                await first.KillAsync();
            }

            await using var second = await PortcullisProcess.StartAsync(workDir, environment);
            var mail = Assert.Single(await smtp.WaitForAsync(approvalId, 1));
            await Task.Delay(1000);
            Assert.Single(await smtp.MessagesAsync(approvalId));
            using var browser = new HttpClient { BaseAddress = new Uri(second.BaseUrl) };
            var (status, _) = await browser.OpenAsync(mail.Link());
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            await smtp.DisposeAsync();
        }
    }

    private static Dictionary<string, string> EmailEnvironment(TestDatabase db, int smtpPort) => new(Environment(db, "http://127.0.0.1:9"))
    {
        ["Portcullis__Email__Smtp__Host"] = "127.0.0.1",
        ["Portcullis__Email__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portcullis__Email__Smtp__Security"] = "None",
        ["Portcullis__Email__Smtp__From"] = "approvals@portcullis.test",
        ["Portcullis__Email__PublicBaseUrl"] = EmailServer.PublicBaseUrl,
    };
}
