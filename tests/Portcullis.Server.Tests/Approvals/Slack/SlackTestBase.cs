using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>Steps the Slack approval tests share: a held refund in a workspace with Slack, linked members, and waiting for the fake.</summary>
public abstract class SlackTestBase(SlackServer server)
{
    protected SlackServer Server => server;

    /// <summary>A workspace with Slack connected and refunds held for one approval; the refund requested.</summary>
    protected async Task<(TestWorkspace Ws, string Secret, Requested R)> HeldAsync(int approvalsRequired = 1)
    {
        var ws = await server.NewWorkspaceAsync();
        var secret = await SlackServer.ConnectAsync(ws);
        await RequireApprovalAsync(ws.Owner(), approvalsRequired: approvalsRequired);
        return (ws, secret, await RequestRefundAsync(ws.Agent()));
    }

    /// <summary>A new member with <paramref name="role"/> who linked a fresh Slack user id; returns their client and that id.</summary>
    protected async Task<(HttpClient Client, string SlackUserId)> LinkedMemberAsync(TestWorkspace ws, string role)
    {
        var client = server.WithBearer(await ws.MemberTokenAsync(role));
        return (client, await LinkAsync(client));
    }

    protected static async Task<string> LinkAsync(HttpClient member)
    {
        var slackUserId = "U" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await (await member.PutAsync("/api/me/slack", SlackServer.JsonContent(new { slackUserId }))).AssertStatus(HttpStatusCode.OK);
        return slackUserId;
    }

    protected string ResponseUrl() => $"{server.Slack.BaseUrl}/respond/{Guid.NewGuid():N}";

    protected async Task<Received> PostedAsync(string approvalId)
    {
        await EventuallyAsync(() => Task.FromResult(server.Calls("chat.postMessage", approvalId).Count > 0), TimeSpan.FromSeconds(15), "the Slack post");
        return Assert.Single(server.Calls("chat.postMessage", approvalId));
    }

    protected async Task<Received> UpdatedAsync(string approvalId, string showing)
    {
        await EventuallyAsync(() => Task.FromResult(server.Calls("chat.update", approvalId).Any(u => u.Body.Contains(showing, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(15), $"a Slack update showing {showing}");
        return server.Calls("chat.update", approvalId).Last(u => u.Body.Contains(showing, StringComparison.Ordinal));
    }

    protected Task<string> PostedTsAsync(string approvalId) =>
        server.ScalarAsync<string>("SELECT ts FROM slack_messages WHERE approval_id = @approvalId", new { approvalId });

    /// <summary>A copy of a request (same body and headers), to send it a second time.</summary>
    protected static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request)
    {
        var body = await request.Content!.ReadAsStringAsync();
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
