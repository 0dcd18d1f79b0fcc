using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portcullis.Server.Features.Audit;

/// <summary>Who did something: a member, an agent, or the system itself.</summary>
public readonly record struct Actor(string Type, string Id)
{
    public static Actor User(string userId) => new("user", userId);

    public static Actor Agent(string agentId) => new("agent", agentId);

    public static readonly Actor System = new("system", "portcullis");
}

/// <summary>One entry of the hash-chained audit log.</summary>
public sealed class AuditEntry
{
    public string WorkspaceId { get; init; } = "";
    public long Seq { get; init; }
    public string Id { get; init; } = "";
    public long OccurredAt { get; init; }
    public string ActorType { get; init; } = "";
    public string ActorId { get; init; } = "";
    public string Action { get; init; } = "";
    public string TargetType { get; init; } = "";
    public string TargetId { get; init; } = "";
    public string Details { get; init; } = "{}";
    public byte[] PrevHash { get; init; } = [];
    public byte[] Hash { get; init; } = [];

    public static readonly byte[] GenesisHash = new byte[32];

    /// <summary>
    /// hash = SHA-256(0x00 ‖ prev_hash ‖ canonical entry), the leaf-hash construction of RFC 6962 with
    /// the previous hash folded in, so editing, removing or reordering any entry breaks every later link.
    /// </summary>
    public static byte[] ComputeHash(byte[] prevHash, string workspaceId, long seq, string id, long occurredAt,
        string actorType, string actorId, string action, string targetType, string targetId, string details)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            workspaceId, seq, id, occurredAt, actorType, actorId, action, targetType, targetId, details,
        });
        var buffer = new byte[1 + prevHash.Length + canonical.Length];
        buffer[0] = 0x00;
        prevHash.CopyTo(buffer, 1);
        canonical.CopyTo(buffer, 1 + prevHash.Length);
        return SHA256.HashData(buffer);
    }

    public byte[] Recompute() =>
        ComputeHash(PrevHash, WorkspaceId, Seq, Id, OccurredAt, ActorType, ActorId, Action, TargetType, TargetId, Details);

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    internal static string Json(object? details) => details is null ? "{}" : JsonSerializer.Serialize(details, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
