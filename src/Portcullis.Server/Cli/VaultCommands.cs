using System.CommandLine;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Cli;

/// <summary><c>portcullis vault rotate</c>: a new master key version, and every data key re-wrapped under it.</summary>
public static class VaultCommands
{
    public static Command Create()
    {
        var vault = new Command("vault", "Manage the credential vault's master key.");
        var rotate = new Command("rotate",
            "Add a new master key version (key-file mode), make it current and re-wrap every credential's data key. " +
            "Running servers keep reading: they load the new version from the key file when they first meet it.");
        var rewrapOnly = new Option<bool>("--rewrap-only") { Description = "Only re-wrap under the current key (after adding a key in configuration)" };
        rotate.Options.Add(rewrapOnly);
        rotate.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            await Startup.PrepareAsync(host.Services, ct);
            var keyVault = host.Services.GetRequiredService<CredentialVault>();
            try
            {
                var version = parse.GetValue(rewrapOnly) ? keyVault.CurrentVersion : keyVault.Rotate();
                var changed = await host.Services.GetRequiredService<CredentialStore>().RewrapAllAsync(ct);
                Console.WriteLine($"master key version {version} is current; re-wrapped {changed} credential(s)");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
        });
        vault.Subcommands.Add(rotate);
        return vault;
    }
}
