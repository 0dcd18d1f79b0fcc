using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Security;

/// <summary>
/// SECURITY: the data directory holds the database, the vault's master keys and the pepper: owner-only (0700), and the
/// SQLite files 0600 (SQLite gives its -wal and -shm files the mode of the database file). Applied at every start, so a
/// directory created by hand or by an older version is tightened too; where the owner cannot change a mode (a mount
/// owned by someone else) a warning says so and the server starts all the same.
/// </summary>
public static partial class DataDirectoryPermissions
{
    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Apply(string dataDirectory, StorageProvider provider, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !System.IO.Directory.Exists(dataDirectory))
        {
            return;
        }

        Set(dataDirectory, Directory, logger);
        if (provider != StorageProvider.Sqlite)
        {
            return;
        }

        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            var path = Path.Combine(dataDirectory, "portcullis.db" + suffix);
            if (System.IO.File.Exists(path))
            {
                Set(path, File, logger);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Set(string path, UnixFileMode mode, ILogger logger)
    {
        try
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            LogNotTightened(logger, path, Convert.ToString((int)mode, 8), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set {Path} to mode {Mode}: {Reason}; make it owner-only by hand")]
    private static partial void LogNotTightened(ILogger logger, string path, string mode, string reason);
}
