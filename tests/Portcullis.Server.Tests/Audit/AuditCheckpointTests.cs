using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Audit;

/// <summary>Signed checkpoints: made on demand, checked with the exportable public key, carried by exports, and appends off the request path.</summary>
public abstract class AuditCheckpointTests(ServerFixture server)
{
    private readonly AuditTamperFixture _t = new(server);

    [Fact]
    public async Task A_checkpoint_signs_the_head_and_verifies_with_the_public_key()
    {
        var ws = await _t.HistoryAsync(checkpoint: false);
        var owner = ws.Owner();
        var created = await owner.PostAsync("/api/audit/checkpoints", null);
        await created.AssertStatus(HttpStatusCode.Created);
        var checkpoint = await created.Json();
        var entries = await _t.EntriesAsync(ws);
        Assert.Equal(entries[^1].Seq, checkpoint.GetProperty("seq").GetInt64());
        Assert.Equal(AuditEntry.Hex(entries[^1].Hash), checkpoint.GetProperty("hash").GetString());

        var key = await (await owner.GetAsync("/api/audit/public-key")).Json();
        Assert.Equal("Ed25519", key.GetProperty("algorithm").GetString());
        var publicKey = Convert.FromBase64String(key.GetProperty("publicKey").GetString()!);
        var statement = Encoding.UTF8.GetBytes(checkpoint.GetProperty("statement").GetString()!);
        var signature = Convert.FromBase64String(checkpoint.GetProperty("signature").GetString()!);
        Assert.True(AuditKeys.Verify(publicKey, statement, signature));
        statement[^2] ^= 1;
        Assert.False(AuditKeys.Verify(publicKey, statement, signature));

        var list = await (await owner.GetAsync("/api/audit/checkpoints")).Json();
        Assert.Equal(checkpoint.GetProperty("id").GetString(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Viewers_cannot_make_or_read_checkpoints()
    {
        var ws = await server.NewWorkspaceAsync();
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.PostAsync("/api/audit/checkpoints", null)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync("/api/audit/checkpoints")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_forged_checkpoint_signature_is_found()
    {
        var ws = await _t.HistoryAsync();
        await _t.SqlAsync("UPDATE audit_checkpoints SET created_at = created_at + 1 WHERE workspace_id = @ws", new { ws = ws.WorkspaceId });
        var report = await _t.VerifyAsync(ws);
        Assert.Equal(AuditVerifier.CheckpointInvalid, report.GetProperty("firstBad").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_export_carries_its_checkpoints_and_a_truncated_export_fails_against_a_published_one()
    {
        var ws = await _t.HistoryAsync();
        var key = Convert.FromBase64String((await (await ws.Owner().GetAsync("/api/audit/public-key")).Json()).GetProperty("publicKey").GetString()!);
        var lines = (await (await ws.Owner().GetAsync("/api/audit/export")).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"checkpoints\"", lines[^1]);

        var report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), CancellationToken.None, key);
        Assert.True(report.Ok, report.Workspaces.FirstOrDefault()?.FirstBad?.Detail ?? report.Error);
        Assert.Equal("given", report.PublicKeySource);
        Assert.Equal(1, report.Workspaces[0].Checkpoints);

        // Drop the last line (and the checkpoint it carries): the file alone cannot show it, a checkpoint published elsewhere does.
        var truncated = lines[..^1];
        var alone = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', truncated)), CancellationToken.None, key);
        Assert.True(alone.Ok);
        var published = (await (await ws.Owner().GetAsync("/api/audit/checkpoints")).Json()).GetProperty("items")[0]
            .Deserialize<AuditCheckpoint.Dto>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.ToCheckpoint();
        report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', truncated)), CancellationToken.None, key, [published]);
        Assert.Equal(AuditVerifier.Truncated, report.Workspaces[0].FirstBad!.Reason);

        // Signed by another key: the checkpoint is refused.
        var other = new byte[32];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(Enumerable.Repeat((byte)7, 32).ToArray(), 0, other, 0);
        report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), CancellationToken.None, other);
        Assert.Equal(AuditVerifier.CheckpointInvalid, report.Workspaces[0].FirstBad!.Reason);
    }

    [Fact]
    public async Task A_number_written_as_a_string_in_an_export_line_is_malformed()
    {
        var ws = await _t.HistoryAsync();
        var lines = (await (await ws.Owner().GetAsync("/api/audit/export")).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[1] = lines[1].Replace("\"seq\":2,", "\"seq\":\"2\",", StringComparison.Ordinal);
        var report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), CancellationToken.None);
        Assert.False(report.Ok);
        Assert.Contains("line 2", report.Error);
    }

    [Fact]
    public async Task Appends_wait_in_pending_until_chained_and_reads_chain_first()
    {
        var ws = await server.NewWorkspaceAsync();
        var audit = server.Factory.Services.GetRequiredService<AuditTrail>();
        // As a request does: inside its own transaction, with no read of the chain.
        await _t.Database.WriteAsync((c, t) => audit.AppendAsync(c, t, ws.WorkspaceId!, Actor.System, "test.appended", "test", "t1"));
        var listed = await (await ws.Owner().GetAsync("/api/audit?action=test.appended")).Json();
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(64, item.GetProperty("hash").GetString()!.Length);
        var report = await _t.VerifyAsync(ws);
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(0, report.GetProperty("pending").GetInt64());
        var last = (await _t.EntriesAsync(ws))[^1];
        Assert.Equal((AuditEntry.KeyedScheme, "test.appended"), (last.Scheme, last.Action));
        Assert.NotNull(last.Mac);
    }

    [Fact]
    public async Task An_audited_request_does_not_wait_on_the_workspace_row_lock()
    {
        if (server.Provider == StorageProvider.Sqlite)
        {
            return; // SQLite has one writer: there is no row lock to wait on.
        }

        var ws = await server.NewWorkspaceAsync();
        await using var holder = await _t.Database.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        // The lock every audited write took before (FOR NO KEY UPDATE, so foreign-key checks still pass): held by someone else now.
        await holder.ExecuteAsync("SELECT id FROM workspaces WHERE id = @id FOR NO KEY UPDATE", new { id = ws.WorkspaceId }, tx);
        // Creating an agent is audited and touches no workspace row itself (a policy change would: it bumps the revision).
        var request = ws.Owner().PostJson("/api/agents", new { name = "while-locked" });
        var finished = await Task.WhenAny(request, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(request, finished);
        await (await request).AssertStatus(HttpStatusCode.Created);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Entries_left_pending_by_a_killed_process_are_chained_on_the_next_round()
    {
        var ws = await server.NewWorkspaceAsync();
        // What a process killed after commit and before chaining leaves behind: rows in audit_pending only.
        await _t.SqlAsync(
            """
            INSERT INTO audit_pending (workspace_id, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details)
            VALUES (@ws, @id, 1700000000000, 'system', 'portcullis', 'test.left_pending', 'test', 't', '{"n":1}')
            """, new { ws = ws.WorkspaceId, id = "aud_left_" + Guid.NewGuid().ToString("n") });
        await server.Factory.Services.GetRequiredService<AuditChainer>().ChainAllAsync();
        var report = await _t.VerifyAsync(ws);
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal("test.left_pending", (await _t.EntriesAsync(ws))[^1].Action);
    }

    [Fact]
    public async Task The_cli_prints_the_same_public_key_as_the_api()
    {
        var ws = await server.NewWorkspaceAsync();
        var api = (await (await ws.Owner().GetAsync("/api/audit/public-key")).Json()).GetProperty("publicKey").GetString();
        var directory = Directory.CreateTempSubdirectory("portcullis-pubkey-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            Portcullis = new { DataDirectory = server.Factory.TestDatabase.DataDirectory },
        }));
        var (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "public-key");
        Assert.True(code == 0, output);
        using var printed = JsonDocument.Parse(output);
        Assert.Equal(api, printed.RootElement.GetProperty("publicKey").GetString());
        Directory.Delete(directory, recursive: true);
    }
}

public sealed class AuditCheckpointSqliteTests(SqliteServer s) : AuditCheckpointTests(s), IClassFixture<SqliteServer>;

public sealed class AuditCheckpointPostgresTests(PostgresServer s) : AuditCheckpointTests(s), IClassFixture<PostgresServer>;
