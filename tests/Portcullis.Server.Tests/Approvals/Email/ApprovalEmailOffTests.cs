namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>Without SMTP settings, nothing is queued or sent, and holding an action works as before.</summary>
public sealed class ApprovalEmailOffTests(ApprovalServer.Sqlite server) : IClassFixture<ApprovalServer.Sqlite>
{
    [Fact]
    public async Task Without_smtp_settings_a_held_action_queues_no_email()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var r = await ApprovalSteps.RequestRefundAsync(ws.Agent());

        Assert.Equal(0, await server.ScalarAsync<long>("SELECT COUNT(*) FROM approval_emails WHERE approval_id = @ApprovalId", new { r.ApprovalId }));
        Assert.Equal(0, await server.ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE kind = 'approval_email'"));
    }
}
