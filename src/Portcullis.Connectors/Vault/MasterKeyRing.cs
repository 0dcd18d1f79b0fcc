using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Portcullis.Connectors.Vault;

/// <summary>
/// The current master key plus every older version still needed to open secrets sealed before a
/// rotation. Immutable: <see cref="Rotate"/> returns a new ring.
/// </summary>
public sealed class MasterKeyRing
{
    private const string FileFormat = "portcullis-master-keys/v1";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SortedDictionary<int, MasterKey> _keys = [];

    /// <summary>Creates a ring from its key versions.</summary>
    /// <param name="keys">Every version; each key exactly 32 bytes, versions unique and positive.</param>
    /// <param name="currentVersion">The version new secrets are sealed with.</param>
    public MasterKeyRing(IEnumerable<MasterKey> keys, int currentVersion)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (key.Version < 1 || key.Key is not { Length: MasterKey.KeyLength })
            {
                throw new VaultException($"master key version {key.Version} must be a positive version with a 32-byte key");
            }

            if (!_keys.TryAdd(key.Version, key with { Key = (byte[])key.Key.Clone() }))
            {
                throw new VaultException($"master key version {key.Version} appears twice");
            }
        }

        if (!_keys.TryGetValue(currentVersion, out var current))
        {
            throw new VaultException($"the current master key version {currentVersion} is not in the key ring");
        }

        Current = current;
    }

    /// <summary>The key new secrets are sealed (and re-wrapped) with.</summary>
    public MasterKey Current { get; }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<MasterKey> Keys => _keys.Values.ToArray();

    /// <summary>Finds a key version.</summary>
    public bool TryGet(int version, out MasterKey key) => _keys.TryGetValue(version, out key!);

    /// <summary>A new ring with one random key (version 1).</summary>
    public static MasterKeyRing Generate() => new([new MasterKey(1, RandomNumberGenerator.GetBytes(MasterKey.KeyLength))], 1);

    /// <summary>
    /// A ring from configuration: each entry is <c>base64</c> (its version is its position, from 1) or
    /// <c>version:base64</c>. The highest version is current.
    /// </summary>
    public static MasterKeyRing FromBase64(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0)
        {
            throw new VaultException("at least one master key is required");
        }

        var parsed = keys.Select((entry, index) =>
        {
            var separator = entry.IndexOf(':', StringComparison.Ordinal);
            var version = index + 1;
            if (separator > 0 && !int.TryParse(entry.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out version))
            {
                throw new VaultException($"master key entry {index + 1} has an invalid version");
            }

            return new MasterKey(version, DecodeKey(entry[(separator + 1)..].Trim(), $"master key entry {index + 1}"));
        }).ToList();
        return new MasterKeyRing(parsed, parsed.Max(k => k.Version));
    }

    /// <summary>
    /// Loads the key file, or creates it with one new random key when it does not exist. A new file is
    /// created owner-read/write only (0600) in one step, so the key is never readable by others, even briefly.
    /// </summary>
    public static MasterKeyRing LoadOrCreateKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return Load(path);
        }

        // Written whole under a temporary name, then moved into place without overwriting: an instance starting beside this
        // one never reads a half-written file, and when two race, the loser's move fails and it uses the winner's key.
        var ring = Generate();
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            ring.Write(temporary, FileMode.CreateNew);
            File.Move(temporary, path, overwrite: false);
            return ring;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance created it first: everyone must use the same key.
            return Load(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Loads a key file written by <see cref="Save"/>.</summary>
    public static MasterKeyRing Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != FileFormat)
            {
                throw new VaultException($"the master key file `{path}` has an unknown format");
            }

            var keys = root.GetProperty("keys").EnumerateArray()
                .Select(k => new MasterKey(k.GetProperty("version").GetInt32(), DecodeKey(k.GetProperty("key").GetString() ?? "", $"master key version in `{path}`")))
                .ToList();
            return new MasterKeyRing(keys, root.GetProperty("current").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new VaultException($"the master key file `{path}` is not valid", e);
        }
    }

    /// <summary>A new ring with a fresh random key as the next version, made current; old versions stay for opening.</summary>
    public MasterKeyRing Rotate()
    {
        var next = new MasterKey(_keys.Keys.Max() + 1, RandomNumberGenerator.GetBytes(MasterKey.KeyLength));
        return new MasterKeyRing([.. _keys.Values, next], next.Version);
    }

    /// <summary>Writes the ring to a key file (0600), atomically replacing any previous file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            Write(temporary, FileMode.CreateNew);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void Write(string path, FileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
            }
        }

        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FileFormat);
            writer.WriteNumber("current", Current.Version);
            writer.WriteStartArray("keys");
            foreach (var key in _keys.Values)
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", key.Version);
                writer.WriteString("key", Convert.ToBase64String(key.Key));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (!OperatingSystem.IsWindows())
        {
            // The umask can only remove bits from the create mode; set it explicitly anyway.
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }

    private static byte[] DecodeKey(string base64, string what)
    {
        try
        {
            var key = Convert.FromBase64String(base64);
            return key.Length == MasterKey.KeyLength ? key : throw new VaultException($"{what} must decode to 32 bytes");
        }
        catch (FormatException e)
        {
            throw new VaultException($"{what} is not valid base64", e);
        }
    }
}
