using System.Buffers;
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
    /// <summary>Entries written before the keyed chain: plain SHA-256 links, no MAC.</summary>
    public const int LegacyScheme = 1;

    /// <summary>Typed v2 canonical form, SHA-256 link, and an HMAC of the link with a chain key.</summary>
    public const int KeyedScheme = 2;

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
    public int Scheme { get; init; } = LegacyScheme;
    public int? KeyId { get; init; }
    public byte[]? Mac { get; init; }

    public static readonly byte[] GenesisHash = new byte[32];

    /// <summary>
    /// The legacy (scheme 1) link: hash = SHA-256(0x00 ‖ prev_hash ‖ canonical entry), the leaf-hash construction of
    /// RFC 6962 with the previous hash folded in, so editing, removing or reordering any entry breaks every later link.
    /// </summary>
    public static byte[] ComputeHash(byte[] prevHash, string workspaceId, long seq, string id, long occurredAt,
        string actorType, string actorId, string action, string targetType, string targetId, string details) =>
        Link(LegacyScheme, prevHash, workspaceId, seq, id, occurredAt, actorType, actorId, action, targetType, targetId, details);

    /// <summary>The link of <paramref name="scheme"/>: the same construction over that scheme's canonical form.</summary>
    public static byte[] Link(int scheme, byte[] prevHash, string workspaceId, long seq, string id, long occurredAt,
        string actorType, string actorId, string action, string targetType, string targetId, string details)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var hash = new byte[32];
        Canonical.Hash(buffer, writer, scheme, prevHash, [workspaceId, id, actorType, actorId, action, targetType, targetId, details], seq, occurredAt, hash);
        return hash;
    }

    /// <summary>The MAC of a scheme-2 link: HMAC-SHA256 under chain key version <c>key_id</c>.</summary>
    public static byte[] ComputeMac(byte[] key, byte[] hash) => HMACSHA256.HashData(key, hash);

    public byte[] Recompute() =>
        Link(Scheme, PrevHash, WorkspaceId, Seq, Id, OccurredAt, ActorType, ActorId, Action, TargetType, TargetId, Details);

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    internal static string Json(object? details) => details is null ? "{}" : JsonSerializer.Serialize(details, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
