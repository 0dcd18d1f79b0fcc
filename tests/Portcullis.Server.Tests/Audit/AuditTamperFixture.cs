using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Audit;

/// <summary>A workspace with a chained, checkpointed history, and the SQL a tamperer with database access would run.</summary>
public sealed class AuditTamperFixture(ServerFixture server)
{
    public ServerFixture Server => server;

    public Database Database => server.Factory.Services.GetRequiredService<Database>();

    /// <summary>Policies, an agent and a key created and changed; chained; then a checkpoint signed at the head.</summary>
    public async Task<TestWorkspace> HistoryAsync(bool checkpoint = true)
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
        if (checkpoint)
        {
            await (await owner.PostAsync("/api/audit/checkpoints", null)).AssertStatus(HttpStatusCode.Created);
        }
        else
        {
            await server.Factory.Services.GetRequiredService<AuditChainer>().ChainAsync(ws.WorkspaceId!);
        }

        return ws;
    }

    public async Task<JsonElement> VerifyAsync(TestWorkspace ws)
    {
        var response = await ws.Owner().GetAsync("/api/audit/verify");
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("workspaces")[0];
    }

    public Task SqlAsync(string sql, object args) => Database.WriteAsync((c, t) => c.ExecuteAsync(sql, args, t));

    public Task<List<AuditEntry>> EntriesAsync(TestWorkspace ws) => EntriesAsync(ws.WorkspaceId!);

    public async Task<List<AuditEntry>> EntriesAsync(string workspaceId)
    {
        await using var c = await Database.OpenAsync();
        return (await c.QueryAsync<AuditEntry>(
            """
            SELECT workspace_id AS WorkspaceId, seq AS Seq, id AS Id, occurred_at AS OccurredAt, actor_type AS ActorType, actor_id AS ActorId,
                   action AS Action, target_type AS TargetType, target_id AS TargetId, details AS Details, prev_hash AS PrevHash, hash AS Hash,
                   scheme AS Scheme, key_id AS KeyId, mac AS Mac
            FROM audit_entries WHERE workspace_id = @ws ORDER BY seq
            """, new { ws = workspaceId })).ToList();
    }

    public Task InsertAsync(AuditEntry e) => SqlAsync(
        """
        INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash, scheme, key_id, mac)
        VALUES (@WorkspaceId, @Seq, @Id, @OccurredAt, @ActorType, @ActorId, @Action, @TargetType, @TargetId, @Details, @PrevHash, @Hash, @Scheme, @KeyId, @Mac)
        """, e);

    /// <summary>Sets an entry's link fields as a tamperer without the chain key would: hash recomputed, MAC left or guessed.</summary>
    public Task RelinkAsync(AuditEntry e, byte[] prev, int scheme = AuditEntry.KeyedScheme, bool dropMac = false) => SqlAsync(
        "UPDATE audit_entries SET action = @action, prev_hash = @prev, hash = @hash, scheme = @scheme, key_id = @keyId, mac = @mac WHERE workspace_id = @ws AND seq = @seq",
        new
        {
            action = e.Action,
            prev,
            scheme,
            ws = e.WorkspaceId,
            seq = e.Seq,
            keyId = dropMac ? null : e.KeyId,
            mac = dropMac ? null : e.Mac,
            hash = AuditEntry.Link(scheme, prev, e.WorkspaceId, e.Seq, e.Id, e.OccurredAt, e.ActorType, e.ActorId, e.Action, e.TargetType, e.TargetId, e.Details),
        });

    public static AuditEntry With(AuditEntry e, long? seq = null, string? workspaceId = null, string? id = null, string? action = null, string? details = null, byte[]? prev = null) => new()
    {
        WorkspaceId = workspaceId ?? e.WorkspaceId,
        Seq = seq ?? e.Seq,
        Id = id ?? e.Id,
        OccurredAt = e.OccurredAt,
        ActorType = e.ActorType,
        ActorId = e.ActorId,
        Action = action ?? e.Action,
        TargetType = e.TargetType,
        TargetId = e.TargetId,
        Details = details ?? e.Details,
        PrevHash = prev ?? e.PrevHash,
        Hash = e.Hash,
        Scheme = e.Scheme,
        KeyId = e.KeyId,
        Mac = e.Mac,
    };

    public static byte[] Bytes(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    public static AuditEntry Forge(AuditEntry before, long seq, string id)
    {
        var hash = AuditEntry.Link(AuditEntry.KeyedScheme, before.Hash, before.WorkspaceId, seq, id, before.OccurredAt + 1, "user", "usr_forger",
            "member.added", "user", "usr_forger", "{}");
        return new AuditEntry
        {
            WorkspaceId = before.WorkspaceId,
            Seq = seq,
            Id = id,
            OccurredAt = before.OccurredAt + 1,
            ActorType = "user",
            ActorId = "usr_forger",
            Action = "member.added",
            TargetType = "user",
            TargetId = "usr_forger",
            Details = "{}",
            PrevHash = before.Hash,
            Hash = hash,
            Scheme = AuditEntry.KeyedScheme,
            KeyId = 1,
            Mac = Bytes(0x44),
        };
    }

    // Recomputes every link from entries[from] on (as a tamperer without the chain key can), keeping or dropping the MACs.
    public async Task RehashFromAsync(List<AuditEntry> entries, int from, int scheme, bool dropMac)
    {
        var prev = from == 0 ? AuditEntry.GenesisHash : entries[from - 1].Hash;
        for (var i = from; i < entries.Count; i++)
        {
            var e = With(entries[i], prev: prev);
            await RelinkAsync(e, prev, scheme, dropMac);
            prev = AuditEntry.Link(scheme, prev, e.WorkspaceId, e.Seq, e.Id, e.OccurredAt, e.ActorType, e.ActorId, e.Action, e.TargetType, e.TargetId, e.Details);
        }
    }
}
