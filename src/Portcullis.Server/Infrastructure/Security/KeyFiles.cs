using System.Security.Cryptography;

namespace Portcullis.Server.Infrastructure.Security;

/// <summary>Random key material kept in owner-only files under the data directory.</summary>
public static class KeyFiles
{
    /// <summary>Reads a base64 key from <paramref name="path"/>, creating it (mode 0600) on first use.</summary>
    public static byte[] LoadOrCreate(string path, int bytes = 32)
    {
        if (File.Exists(path))
        {
            return ReadExisting(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(bytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Whole under a temporary name, then moved into place without overwriting, so an instance starting beside this one
        // never reads a half-written key; when two race, the loser uses the winner's.
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(Convert.ToBase64String(key));
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance sharing the data directory created it first; use theirs.
            return ReadExisting(path);
        }
        finally
        {
            File.Delete(temporary);
        }

        return key;
    }

    private static byte[] ReadExisting(string path)
    {
        // A file created an instant ago by another process may not hold its content yet.
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length > 0 || attempt == 50)
            {
                var key = Convert.FromBase64String(text);
                return key.Length >= 16 ? key : throw new InvalidOperationException($"key file `{path}` is empty or too short");
            }

            Thread.Sleep(20);
        }
    }
}
