using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Credentials;

/// <summary>The secrets a test uses appear in no answer, log line, timeline, execution or stored row.</summary>
public abstract class SecretLeakTests(LiveStripeServer server)
{
    private const string ZendeskToken = "zdtok_VerySecretZendeskToken777";

    [Fact]
    public async Task No_secret_reaches_answers_logs_timeline_executions_or_the_database()
    {
        var ws = await server.NewWorkspaceAsync();
        var seen = new StringBuilder();
        async Task<string> Read(HttpResponseMessage r) { var text = await r.Content.ReadAsStringAsync(); seen.AppendLine(text); return text; }

        await Read(await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" }));
        var stripe = await ws.Owner().PostJson("/api/credentials", new { provider = "stripe", name = "Stripe", secrets = new { apiKey = FakeStripe.GoodKey } });
        var stripeId = System.Text.Json.JsonDocument.Parse(await Read(stripe)).RootElement.GetProperty("id").GetString();
        await Read(await ws.Owner().PostJson("/api/credentials", new { provider = "zendesk", name = "Desk", secrets = new { subdomain = "acme", email = "a@acme.example", apiToken = ZendeskToken } }));
        await Read(await ws.Owner().PostJson($"/api/credentials/{stripeId}/links", new { agentId = ws.AgentId }));
        await Read(await ws.Owner().GetAsync("/api/credentials"));
        await Read(await ws.Owner().GetAsync($"/api/credentials/{stripeId}"));
        await Read(await ws.Owner().PostAsync($"/api/credentials/{stripeId}/verify", null));
        await Read(await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/integrations"));

        var runId = await ws.StartRunAsync();
        await Read(await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId)));
        server.Stripe.DeclineRefunds = true;
        try
        {
            await Read(await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId, 100)));
        }
        finally
        {
            server.Stripe.DeclineRefunds = false;
        }

        await Read(await ws.Owner().GetAsync($"/api/runs/{runId}"));
        var stored = await DumpDatabaseAsync();

        foreach (var secret in new[] { FakeStripe.GoodKey, ZendeskToken })
        {
            Assert.DoesNotContain(secret, seen.ToString());
            Assert.DoesNotContain(secret, server.Logs.All);
            Assert.DoesNotContain(secret, stored);
        }

        // The hint is all anyone sees.
        Assert.Contains("sk_…4242", seen.ToString());
    }

    [Fact]
    public async Task Rotating_the_master_key_keeps_every_credential_usable()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.ConnectStripeAsync();
        var vault = server.Factory.Services.GetRequiredService<CredentialVault>();
        var store = server.Factory.Services.GetRequiredService<CredentialStore>();
        var before = vault.CurrentVersion;

        var version = vault.Rotate();
        var rewrapped = await store.RewrapAllAsync(CancellationToken.None);

        Assert.Equal(before + 1, version);
        Assert.True(rewrapped >= 1);
        var runId = await ws.StartRunAsync();
        var execution = (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("execution");
        Assert.Equal("executed", execution.GetProperty("status").GetString());
        await using var c = await server.Factory.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(version, await c.ExecuteScalarAsync<long>("SELECT master_key_version FROM credentials WHERE id = @id", new { id }));
    }

    private async Task<string> DumpDatabaseAsync()
    {
        var database = server.Factory.Services.GetRequiredService<Database>();
        await using var c = await database.OpenAsync();
        var tables = database.IsSqlite
            ? await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")
            : await c.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {table}"))
            {
                foreach (var value in row.Values)
                {
                    dump.Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()).Append('|');
                }
            }
        }

        return dump.ToString();
    }
}

public sealed class SecretLeakSqliteTests(LiveStripeSqliteServer s) : SecretLeakTests(s), IClassFixture<LiveStripeSqliteServer>;

public sealed class SecretLeakPostgresTests(LiveStripePostgresServer s) : SecretLeakTests(s), IClassFixture<LiveStripePostgresServer>;
