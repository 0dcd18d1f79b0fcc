namespace Portcullis.Server.Features.Audit;

/// <summary>Section <c>Portcullis:Audit</c>. The keys are secret: give them by environment or leave them to key files.</summary>
public sealed class AuditOptions
{
    public const string Section = "Portcullis:Audit";

    /// <summary>Chain (HMAC) keys, <c>version:base64</c> comma-separated, the highest current; default: <c>{DataDirectory}/keys/audit-chain.json</c>.</summary>
    public string? ChainKey { get; set; }

    /// <summary>Ed25519 private key seed (base64, 32 bytes); default: <c>{DataDirectory}/keys/audit-signing.key</c>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How often the chainer looks for appended entries to chain.</summary>
    public int ChainIntervalMilliseconds { get; set; } = 200;

    /// <summary>How often every workspace whose chain moved gets a signed checkpoint; 0 turns periodic checkpoints off.</summary>
    public int CheckpointIntervalMinutes { get; set; } = 60;
}
