using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Audit;

/// <summary>Tampering with any stored audit entry is detected, and the first bad entry is named.</summary>
public abstract class AuditChainTests(ServerFixture server)
{
    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var ws = await WorkspaceWithHistoryAsync();
        var report = await VerifyAsync(ws);
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        var chain = report.GetProperty("workspaces")[0];
        Assert.Equal(ws.WorkspaceId, chain.GetProperty("workspaceId").GetString());
        Assert.True(chain.GetProperty("entries").GetInt64() >= 5);
        Assert.Equal(chain.GetProperty("entries").GetInt64(), chain.GetProperty("headSeq").GetInt64());
        Assert.Equal(JsonValueKind.Null, chain.GetProperty("firstBad").ValueKind);
    }

    [Fact]
    public async Task Editing_the_details_of_an_entry_is_a_hash_mismatch_at_that_entry()
    {
        var ws = await WorkspaceWithHistoryAsync();
        await SqlAsync("UPDATE audit_entries SET details = @details WHERE workspace_id = @ws AND seq = 3",
            new { details = """{"name":"harmless"}""", ws = ws.WorkspaceId });

        var bad = await FirstBadAsync(ws);
        Assert.Equal(3, bad.GetProperty("seq").GetInt64());
        Assert.Equal(await IdAtAsync(ws, 3), bad.GetProperty("id").GetString());
        Assert.Equal(AuditVerifier.HashMismatch, bad.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Rewriting_an_entry_with_a_fresh_hash_is_a_mac_mismatch_at_that_entry()
    {
        var ws = await WorkspaceWithHistoryAsync();
        var entry = await EntryAtAsync(ws, 2);
        var forged = AuditEntry.Link(AuditEntry.KeyedScheme, entry.PrevHash, entry.WorkspaceId, entry.Seq, entry.Id, entry.OccurredAt, entry.ActorType,
            entry.ActorId, "agent.deleted", entry.TargetType, entry.TargetId, entry.Details);
        await SqlAsync("UPDATE audit_entries SET action = 'agent.deleted', hash = @forged WHERE workspace_id = @ws AND seq = 2", new { forged, ws = ws.WorkspaceId });

        // Since the keyed chain, the rewritten entry itself is caught (its MAC no longer matches), before the next link.
        var bad = await FirstBadAsync(ws);
        Assert.Equal(2, bad.GetProperty("seq").GetInt64());
        Assert.Equal(AuditVerifier.MacMismatch, bad.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Deleting_an_entry_is_a_gap_in_seq()
    {
        var ws = await WorkspaceWithHistoryAsync();
        await SqlAsync("DELETE FROM audit_entries WHERE workspace_id = @ws AND seq = 3", new { ws = ws.WorkspaceId });

        var bad = await FirstBadAsync(ws);
        Assert.Equal(4, bad.GetProperty("seq").GetInt64());
        Assert.Equal(AuditVerifier.SeqGap, bad.GetProperty("reason").GetString());
        Assert.Contains("expected seq 3", bad.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deleting_the_first_entry_is_detected()
    {
        var ws = await WorkspaceWithHistoryAsync();
        await SqlAsync("DELETE FROM audit_entries WHERE workspace_id = @ws AND seq = 1", new { ws = ws.WorkspaceId });

        var bad = await FirstBadAsync(ws);
        Assert.Equal(2, bad.GetProperty("seq").GetInt64());
        Assert.Equal(AuditVerifier.SeqGap, bad.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Swapping_the_seq_of_two_entries_is_detected_at_the_first_of_them()
    {
        var ws = await WorkspaceWithHistoryAsync();
        var third = await IdAtAsync(ws, 3);
        await SqlAsync("UPDATE audit_entries SET seq = -1 WHERE workspace_id = @ws AND seq = 2", new { ws = ws.WorkspaceId });
        await SqlAsync("UPDATE audit_entries SET seq = 2 WHERE workspace_id = @ws AND seq = 3", new { ws = ws.WorkspaceId });
        await SqlAsync("UPDATE audit_entries SET seq = 3 WHERE workspace_id = @ws AND seq = -1", new { ws = ws.WorkspaceId });

        var bad = await FirstBadAsync(ws);
        Assert.Equal(2, bad.GetProperty("seq").GetInt64());
        Assert.Equal(third, bad.GetProperty("id").GetString());
        Assert.Equal(AuditVerifier.PrevHashMismatch, bad.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Tampering_in_one_workspace_leaves_the_others_intact()
    {
        var tampered = await WorkspaceWithHistoryAsync();
        var other = await WorkspaceWithHistoryAsync();
        await SqlAsync("UPDATE audit_entries SET actor_id = 'someone-else' WHERE workspace_id = @ws AND seq = 1", new { ws = tampered.WorkspaceId });

        Assert.Equal(1, (await FirstBadAsync(tampered)).GetProperty("seq").GetInt64());
        Assert.True((await VerifyAsync(other)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task The_cli_exits_0_for_an_intact_chain_and_1_naming_the_first_bad_entry()
    {
        var ws = await WorkspaceWithHistoryAsync();
        var directory = Path.Combine(Path.GetTempPath(), "portcullis-cli-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        try
        {
            // The CLI reads its storage settings from appsettings.json in its working directory.
            await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), JsonSerializer.Serialize(new { Portcullis = CliSettings(directory) }));
            var (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify", "--workspace", ws.WorkspaceId!);
            Assert.True(code == 0, output);
            Assert.Contains("\"ok\": true", output);

            await SqlAsync("UPDATE audit_entries SET target_id = 'elsewhere' WHERE workspace_id = @ws AND seq = 2", new { ws = ws.WorkspaceId });
            (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify", "--workspace", ws.WorkspaceId!);
            Assert.True(code == 1, output);
            using var report = JsonDocument.Parse(output);
            var bad = report.RootElement.GetProperty("workspaces")[0].GetProperty("firstBad");
            Assert.Equal(2, bad.GetProperty("seq").GetInt64());
            Assert.Equal(AuditVerifier.HashMismatch, bad.GetProperty("reason").GetString());

            (code, _) = await PortcullisProcess.RunAsync(directory, "audit", "verify", "--workspace", "ws_nope");
            Assert.Equal(2, code);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_target_and_actor_and_pages_newest_first()
    {
        var ws = await WorkspaceWithHistoryAsync();
        var owner = ws.Owner();
        var policies = await (await owner.GetAsync("/api/audit?action=policy.*")).Json();
        var items = policies.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["policy.updated", "policy.created"], items.Select(i => i.GetProperty("action").GetString()));
        Assert.True(items[0].GetProperty("seq").GetInt64() > items[1].GetProperty("seq").GetInt64());

        var policyId = items[0].GetProperty("targetId").GetString();
        var byTarget = await (await owner.GetAsync($"/api/audit?targetType=policy&targetId={policyId}")).Json();
        Assert.Equal(2, byTarget.GetProperty("items").GetArrayLength());

        var actorId = items[0].GetProperty("actorId").GetString();
        var byActor = await (await owner.GetAsync($"/api/audit?actorId={actorId}&limit=2")).Json();
        Assert.Equal(2, byActor.GetProperty("items").GetArrayLength());
        var next = byActor.GetProperty("nextBefore").GetInt64();
        var older = await (await owner.GetAsync($"/api/audit?actorId={actorId}&limit=2&before={next}")).Json();
        Assert.All(older.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("seq").GetInt64() < next));

        await (await owner.GetAsync("/api/audit?action=policy.%25")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Viewers_and_approvers_cannot_read_or_verify_the_audit_log()
    {
        var ws = await server.NewWorkspaceAsync();
        foreach (var role in new[] { "viewer", "approver" })
        {
            var client = server.WithBearer(await ws.MemberTokenAsync(role));
            await (await client.GetAsync("/api/audit")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            await (await client.GetAsync("/api/audit/verify")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task A_dashboard_sign_in_is_audited_as_member_signed_in()
    {
        var ws = await server.NewWorkspaceAsync();
        var email = await OwnerEmailAsync(ws);
        using var browser = server.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await browser.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = "another secure password",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var entries = await (await ws.Owner().GetAsync("/api/audit?action=member.signed_in")).Json();
        var entry = Assert.Single(entries.GetProperty("items").EnumerateArray());
        Assert.Equal("dashboard", entry.GetProperty("details").GetProperty("via").GetString());
    }

    // The CLI needs the server's audit chain keys (its data directory's keys/, or Portcullis:Audit:ChainKey): it shares the data directory.
    private object CliSettings(string directory) => server.Provider == StorageProvider.Sqlite
        ? new { DataDirectory = server.Factory.TestDatabase.DataDirectory }
        : new { DataDirectory = server.Factory.TestDatabase.DataDirectory, Storage = new { Provider = "postgres", server.Factory.TestDatabase.ConnectionString } };

    /// <summary>A workspace whose chain records policies, an agent and a key being created and changed.</summary>
    private async Task<TestWorkspace> WorkspaceWithHistoryAsync()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = ws.Owner();
        var created = await owner.PostJson("/api/policies", new { name = "big refunds", condition = "action_type = refund.create AND payload.amount > 5000", decision = "require_approval" });
        await created.AssertStatus(HttpStatusCode.Created);
        var policyId = (await created.Json()).GetProperty("id").GetString();
        await (await owner.PutAsJsonAsync($"/api/policies/{policyId}", new { enabled = false })).AssertStatus(HttpStatusCode.OK);
        var agent = await owner.PostJson("/api/agents", new { name = "second-agent" });
        await agent.AssertStatus(HttpStatusCode.Created);
        var agentId = (await agent.Json()).GetProperty("id").GetString();
        await (await owner.PostJson($"/api/agents/{agentId}/keys", new { name = "ci" })).AssertStatus(HttpStatusCode.Created);
        // Entries are chained moments after they commit; these tests edit chained rows, so chain now.
        await server.Factory.Services.GetRequiredService<AuditChainer>().ChainAsync(ws.WorkspaceId!);
        return ws;
    }

    private async Task<JsonElement> VerifyAsync(TestWorkspace ws)
    {
        var response = await ws.Owner().GetAsync("/api/audit/verify");
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    private async Task<JsonElement> FirstBadAsync(TestWorkspace ws)
    {
        var report = await VerifyAsync(ws);
        Assert.False(report.GetProperty("ok").GetBoolean(), report.ToString());
        return report.GetProperty("workspaces")[0].GetProperty("firstBad");
    }

    private Database Database => server.Factory.Services.GetRequiredService<Database>();

    private Task SqlAsync(string sql, object args) => Database.WriteAsync((c, t) => c.ExecuteAsync(sql, args, t));

    private async Task<AuditEntry> EntryAtAsync(TestWorkspace ws, long seq)
    {
        await using var c = await Database.OpenAsync();
        return await c.QueryFirstAsync<AuditEntry>(
            """
            SELECT workspace_id AS WorkspaceId, seq AS Seq, id AS Id, occurred_at AS OccurredAt, actor_type AS ActorType, actor_id AS ActorId,
                   action AS Action, target_type AS TargetType, target_id AS TargetId, details AS Details, prev_hash AS PrevHash, hash AS Hash,
                   scheme AS Scheme, key_id AS KeyId, mac AS Mac
            FROM audit_entries WHERE workspace_id = @ws AND seq = @seq
            """, new { ws = ws.WorkspaceId, seq });
    }

    private async Task<string> IdAtAsync(TestWorkspace ws, long seq) => (await EntryAtAsync(ws, seq)).Id;

    private async Task<string> OwnerEmailAsync(TestWorkspace ws)
    {
        await using var c = await Database.OpenAsync();
        return await c.QueryFirstAsync<string>(
            "SELECT u.email FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @ws AND m.role = 'owner'", new { ws = ws.WorkspaceId });
    }
}

public sealed class AuditChainSqliteTests(SqliteServer s) : AuditChainTests(s), IClassFixture<SqliteServer>;

public sealed class AuditChainPostgresTests(PostgresServer s) : AuditChainTests(s), IClassFixture<PostgresServer>;
