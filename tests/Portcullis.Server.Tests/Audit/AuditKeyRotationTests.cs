using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Audit;

/// <summary>
/// A database from before the keyed chain (plain SHA-256 entries) keeps verifying, new entries are keyed after it, and a
/// rotated chain key leaves older entries verifiable with the version they name.
/// </summary>
public sealed class AuditKeyRotationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-audit-keys-" + Guid.NewGuid().ToString("n"));
    private Database _database = null!;
    private AuditKeys _keys = null!;

    public async Task InitializeAsync()
    {
        _database = new Database(StorageProvider.Sqlite, Database.SqliteConnectionStringFor(_directory));
        await MigrationRunner.ApplyAsync(_database);
        _keys = new AuditKeys(Options.Create(new AuditOptions()), Options.Create(new PortcullisOptions { DataDirectory = _directory }));
    }

    [Fact]
    public async Task Legacy_entries_then_keyed_entries_under_two_key_versions_all_verify()
    {
        await SeedLegacyAsync("ws_old", 3);
        var chainer = new AuditChainer(_database, _keys);
        await AppendAsync("ws_old", "after.migration");
        await chainer.ChainAsync("ws_old");
        Assert.Equal(2, _keys.Rotate());
        await AppendAsync("ws_old", "after.rotation");
        await chainer.ChainAsync("ws_old");

        var report = await new AuditVerifier(_database, _keys, chainer).VerifyAsync("ws_old", CancellationToken.None);
        Assert.True(report.Ok, report.Workspaces[0].FirstBad?.Detail);
        await using var c = await _database.OpenAsync();
        var rows = (await c.QueryAsync<(long, long?)>("SELECT scheme, key_id FROM audit_entries ORDER BY seq")).ToList();
        Assert.Equal([(1L, null), (1L, null), (1L, null), (2L, 1L), (2L, 2L)], rows);
    }

    [Fact]
    public async Task A_legacy_entry_after_a_keyed_one_is_a_downgrade()
    {
        await SeedLegacyAsync("ws_down", 2);
        var chainer = new AuditChainer(_database, _keys);
        await AppendAsync("ws_down", "keyed");
        await chainer.ChainAsync("ws_down");
        await using (var c = await _database.OpenAsync())
        {
            var prev = await c.QuerySingleAsync<byte[]>("SELECT hash FROM audit_entries WHERE seq = 3");
            var hash = AuditEntry.ComputeHash(prev, "ws_down", 4, "aud_legacy_forged", 1, "user", "u", "member.added", "user", "u", "{}");
            await c.ExecuteAsync(
                """
                INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
                VALUES ('ws_down', 4, 'aud_legacy_forged', 1, 'user', 'u', 'member.added', 'user', 'u', '{}', @prev, @hash)
                """, new { prev, hash });
        }

        var report = await new AuditVerifier(_database, _keys).VerifyAsync("ws_down", CancellationToken.None);
        Assert.Equal((4L, AuditVerifier.SchemeDowngrade), (report.Workspaces[0].FirstBad!.Seq, report.Workspaces[0].FirstBad!.Reason));
    }

    private Task AppendAsync(string workspaceId, string action) =>
        _database.WriteAsync((c, t) => new AuditTrail(TimeProvider.System).AppendAsync(c, t, workspaceId, Actor.System, action, "test", "t"));

    private Task SeedLegacyAsync(string workspaceId, int count) => _database.WriteAsync(async (c, t) =>
    {
        await c.ExecuteAsync("INSERT INTO workspaces (id, name, created_at) VALUES (@workspaceId, 'old', 0)", new { workspaceId }, t);
        var prev = AuditEntry.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var hash = AuditEntry.ComputeHash(prev, workspaceId, i, $"aud_old_{i}", 1_700_000_000_000 + i, "user", "u", i == 1 ? "workspace.created" : "policy.updated", "policy", "p", "{}");
            await c.ExecuteAsync(
                """
                INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
                VALUES (@workspaceId, @i, @id, @at, 'user', 'u', @action, 'policy', 'p', '{}', @prev, @hash)
                """, new { workspaceId, i, id = $"aud_old_{i}", at = 1_700_000_000_000 + i, action = i == 1 ? "workspace.created" : "policy.updated", prev, hash }, t);
            prev = hash;
        }
    });

    public Task DisposeAsync()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the pool; the temp directory is cleaned later.
        }

        return Task.CompletedTask;
    }
}
