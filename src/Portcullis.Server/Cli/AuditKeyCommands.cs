using System.CommandLine;
using System.Text.Json;
using Portcullis.Server.Features.Audit;

namespace Portcullis.Server.Cli;

/// <summary><c>portcullis audit public-key</c> and <c>portcullis audit rotate-key</c>: the audit chain's keys, from the local data directory.</summary>
public static class AuditKeyCommands
{
    // Printed for people and tools, never into HTML: base64's `+` and `/` stay as they are.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command PublicKey()
    {
        var pem = new Option<bool>("--pem") { Description = "Print the key as PEM (SubjectPublicKeyInfo) instead of JSON" };
        var command = new Command("public-key", "Print the Ed25519 public key that checks audit checkpoints (give it to auditors).") { pem };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            var key = AuditCheckpointApi.Describe(host.Services.GetRequiredService<AuditKeys>());
            Console.Write(parse.GetValue(pem) ? key.Pem : JsonSerializer.Serialize(key, Json) + "\n");
            return 0;
        });
        return command;
    }

    public static Command Rotate()
    {
        var command = new Command("rotate-key",
            "Add a new audit chain (HMAC) key version and make it current; older entries keep verifying with the versions they name.");
        command.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            try
            {
                var version = host.Services.GetRequiredService<AuditKeys>().Rotate();
                Console.WriteLine($"audit chain key version {version} is now current");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
        });
        return command;
    }
}
