using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>
/// A test server whose Slack Web API is a local fake that records every request: <c>auth.test</c> accepts any token but
/// <see cref="BadToken"/> (team <see cref="TeamId"/>), <c>chat.postMessage</c> answers a fresh <c>ts</c> in channel
/// <see cref="ChannelId"/>, <c>chat.update</c> succeeds, and <c>/respond/…</c> stands in for interactions' response_url.
/// </summary>
public abstract class SlackServer(StorageProvider provider) : ServerFixture(provider)
{
    public const string TeamId = "T0PORTCULLIS";
    public const string ChannelId = "C0APPROVALS";
    // Plainly not Slack's token format: the fake accepts any text, and nothing here should read as a leaked secret.
    public const string BadToken = "fake-slack-bot-token-revoked";

    public FakeHttp Slack { get; private set; } = null!;

    public Database Database => Factory.Services.GetRequiredService<Database>();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Slack:ApiBaseUrl"] = Slack.BaseUrl + "/api",
        ["Portcullis:Jobs:PollIntervalMs"] = "100",
        ["Portcullis:Approvals:SweepIntervalSeconds"] = "3600",
    };

    public override async Task InitializeAsync()
    {
        Slack = await FakeHttp.StartAsync((r, i) => r.Path switch
        {
            "/api/auth.test" when r.Header("Authorization") == $"Bearer {BadToken}" => (200, """{"ok":false,"error":"invalid_auth"}"""),
            "/api/auth.test" => (200, $$"""{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"portcullis","team_id":"{{TeamId}}","user_id":"U0BOT"}"""),
            "/api/chat.postMessage" => (200, $$"""{"ok":true,"channel":"{{ChannelId}}","ts":"1700000000.{{i.ToString("D6", CultureInfo.InvariantCulture)}}"}"""),
            "/api/chat.update" => (200, """{"ok":true}"""),
            _ => (200, "ok"),
        });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Slack.DisposeAsync();
    }

    /// <summary>Connects a Slack app with its own signing secret to the workspace; returns the secret.</summary>
    public static async Task<string> ConnectAsync(TestWorkspace ws, string channel = "approvals")
    {
        var secret = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var put = await ws.Owner().PutAsync("/api/integrations/slack", JsonContent(new { botToken = BotToken(ws), signingSecret = secret, defaultChannel = channel }));
        await put.AssertStatus(HttpStatusCode.OK);
        return secret;
    }

    public static string BotToken(TestWorkspace ws) => $"xoxb-{ws.WorkspaceId}-token";

    public static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>Slack's requests for one approval (its id is in the body), of one Web API method.</summary>
    public List<Received> Calls(string method, string approvalId) =>
        Slack.To($"/api/{method}").Where(r => r.Body.Contains(approvalId, StringComparison.Ordinal)).ToList();

    /// <summary>A button click as Slack sends it: form-encoded payload, signed with <paramref name="secret"/> at <paramref name="at"/>.</summary>
    public static HttpRequestMessage Click(string secret, string slackUserId, string actionId, string approvalId, string responseUrl,
        DateTimeOffset? at = null, string teamId = TeamId, string type = "block_actions")
    {
        var payload = JsonSerializer.Serialize(new
        {
            type,
            team = new { id = teamId, domain = "acme" },
            user = new { id = slackUserId, username = "someone", team_id = teamId },
            api_app_id = "A0PORTCULLIS",
            response_url = responseUrl,
            actions = new[] { new { action_id = actionId, block_id = SlackApprovalMessage.ActionsBlock, value = approvalId, type = "button" } },
        });
        return Signed(secret, "payload=" + Uri.EscapeDataString(payload), at ?? DateTimeOffset.UtcNow);
    }

    public static HttpRequestMessage Signed(string secret, string body, DateTimeOffset at, string? signature = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/integrations/slack/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, signature ?? SlackSignature.Sign(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException($"no value for `{sql}`");
    }

    public sealed class Sqlite() : SlackServer(StorageProvider.Sqlite);

    public sealed class Postgres() : SlackServer(StorageProvider.Postgres);
}
