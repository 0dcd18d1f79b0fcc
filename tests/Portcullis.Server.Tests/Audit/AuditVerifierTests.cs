using System.Diagnostics;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Storage;
using Xunit.Abstractions;

namespace Portcullis.Server.Tests.Audit;

/// <summary>The verifier against a SQLite file filled directly: the canonical form it streams, and its speed.</summary>
public sealed class AuditVerifierTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-audit-" + Guid.NewGuid().ToString("n"));
    private Database _database = null!;

    public async Task InitializeAsync()
    {
        _database = new Database(StorageProvider.Sqlite, Database.SqliteConnectionStringFor(_directory));
        await MigrationRunner.ApplyAsync(_database);
    }

    [Fact]
    public async Task Its_streamed_canonical_form_hashes_exactly_like_AuditEntry_for_awkward_text()
    {
        string[] awkward =
        [
            "plain", "quote \" and backslash \\", "<script>&amp;</script>", "ünïcødé • 日本語", "emoji 🚦🔐", "line\nbreak\ttab",
            "control \u0001\u001f", "plus + apostrophe ' backtick `", "", """{"nested":"json","n":[1,2.5e3,null]}""",
        ];
        await SeedAsync("ws_awkward", awkward.Length, i => awkward[i]);

        var report = await new AuditVerifier(_database).VerifyAsync("ws_awkward", CancellationToken.None);
        Assert.True(report.Ok, report.Workspaces[0].FirstBad?.Detail);
        Assert.Equal(awkward.Length, report.Entries);
    }

    [Fact]
    public async Task An_edit_deep_in_a_long_chain_is_found_at_its_entry()
    {
        await SeedAsync("ws_long", 5_000, i => $"entry {i}");
        await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE audit_entries SET occurred_at = occurred_at + 1 WHERE seq = 4321", transaction: t));

        var report = await new AuditVerifier(_database).VerifyAsync(null, CancellationToken.None);
        var chain = Assert.Single(report.Workspaces);
        Assert.Equal(4321, chain.FirstBad!.Seq);
        Assert.Equal(AuditVerifier.HashMismatch, chain.FirstBad.Reason);
        Assert.Equal(5_000, chain.Entries);
    }

    /// <summary>
    /// Not a timed assertion (the machine is shared): it prints the figure docs/audit.md quotes. Run with
    /// <c>dotnet test tests/Portcullis.Server.Tests --filter AuditVerifierTests --logger "console;verbosity=detailed"</c>.
    /// </summary>
    [Fact]
    public async Task Verifying_100000_entries_streams_the_chain_and_prints_the_time()
    {
        const int count = 100_000;
        await SeedAsync("ws_bench", count, i => $$"""{"policy":"pol_{{i}}","decision":"require_approval","version":{{i % 7}}}""");
        var verifier = new AuditVerifier(_database);
        await verifier.VerifyAsync("ws_bench", CancellationToken.None); // warm-up: JIT and SQLite page cache

        var runs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var report = await verifier.VerifyAsync("ws_bench", CancellationToken.None);
            runs.Add(clock.ElapsedMilliseconds);
            Assert.True(report.Ok);
            Assert.Equal(count, report.Entries);
        }

        runs.Sort();
        output.WriteLine($"audit verify: {count:N0} entries in {runs[1]} ms (median of 3; runs {string.Join(", ", runs)} ms)");
    }

    /// <summary>Writes a valid chain of <paramref name="count"/> entries, hashed by AuditEntry itself.</summary>
    private async Task SeedAsync(string workspaceId, int count, Func<int, string> text)
    {
        await _database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO workspaces (id, name, created_at) VALUES (@workspaceId, 'bench', 0)", new { workspaceId }, t);
            var prev = AuditEntry.GenesisHash;
            var rows = new List<AuditEntry>(count);
            for (var i = 0; i < count; i++)
            {
                var entry = new AuditEntry
                {
                    WorkspaceId = workspaceId,
                    Seq = i + 1,
                    Id = $"aud_{workspaceId}_{i:D7}",
                    OccurredAt = 1_700_000_000_000 + i,
                    ActorType = "user",
                    ActorId = "usr_" + text(i),
                    Action = i == 0 ? "workspace.created" : "policy.updated",
                    TargetType = "policy",
                    TargetId = text(i),
                    Details = i % 2 == 0 ? "{}" : text(i),
                    PrevHash = prev,
                };
                var hash = entry.Recompute();
                rows.Add(new AuditEntry
                {
                    WorkspaceId = entry.WorkspaceId,
                    Seq = entry.Seq,
                    Id = entry.Id,
                    OccurredAt = entry.OccurredAt,
                    ActorType = entry.ActorType,
                    ActorId = entry.ActorId,
                    Action = entry.Action,
                    TargetType = entry.TargetType,
                    TargetId = entry.TargetId,
                    Details = entry.Details,
                    PrevHash = prev,
                    Hash = hash,
                });
                prev = hash;
            }

            await c.ExecuteAsync(
                """
                INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
                VALUES (@WorkspaceId, @Seq, @Id, @OccurredAt, @ActorType, @ActorId, @Action, @TargetType, @TargetId, @Details, @PrevHash, @Hash)
                """, rows, t);
        });
    }

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
