using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>Root options, section <c>Portcullis</c>.</summary>
public sealed class PortcullisOptions
{
    public const string Section = "Portcullis";

    /// <summary>Where the SQLite file and generated key files live.</summary>
    public string DataDirectory { get; set; } = "./data";
}

/// <summary>Section <c>Portcullis:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Portcullis:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite it defaults to <c>{DataDirectory}/portcullis.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Section <c>Portcullis:Limits</c>: every bound on what a client may send.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Portcullis:Limits";

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public int MaxEventsPerBatch { get; set; } = 500;

    /// <summary>Serialised size of one event payload, action payload or evidence object.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Identifiers and labels: trigger types, event types, external refs, names.</summary>
    public int MaxStringLength { get; set; } = 256;
}

/// <summary>Section <c>Portcullis:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Portcullis:RateLimits";

    /// <summary>Sustained requests per second for one agent key (token bucket refill).</summary>
    public int AgentRequestsPerSecond { get; set; } = 200;

    /// <summary>Burst size for one agent key.</summary>
    public int AgentBurst { get; set; } = 400;

    /// <summary>Failed sign-ins per minute from one client address (the forwarded one behind a known proxy); more wait for the minute's end.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>Failed sign-ins to one account within <see cref="LoginLockoutMinutes"/> before it is locked for the rest of that window.</summary>
    public int LoginFailuresPerAccount { get; set; } = 10;

    /// <summary>The window, in minutes, that an account's failed sign-ins are counted in.</summary>
    public int LoginLockoutMinutes { get; set; } = 15;
}
