using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis audit verify [--workspace ID | --file export.ndjson [--public-key KEY]]</c>: recompute the audit chains;
/// <c>audit public-key</c> and <c>audit rotate-key</c> (see <see cref="AuditKeyCommands"/>).
/// </summary>
public static class AuditCommands
{
    /// <summary>Exit code: the database holds no audit table (distinct from 1, which means tampered).</summary>
    public const int MissingAuditTable = 3;

    /// <summary>Exit code: the database could not be opened or read.</summary>
    public const int StoreUnavailable = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var audit = new Command("audit", "Inspect the tamper-evident audit trail.");
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (default: every workspace)" };
        var file = new Option<FileInfo?>("--file")
        {
            Description = "Verify an export (GET /api/audit/export, NDJSON) offline instead of the database",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "With --file: the Ed25519 public key (base64, from `portcullis audit public-key`) to check checkpoints with",
        };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "With --file: a checkpoint published outside Portcullis (its JSON from GET /api/audit/checkpoints); the export must reach and match it",
        };
        var verify = new Command("verify",
            "Recompute every hash chain and print a JSON report. Exit code 0: intact; 1: tampered; 2: no such workspace or file; "
            + "3: the database has no audit table; 4: the database cannot be reached.")
        {
            workspace, file, publicKey, checkpoint,
        };
        verify.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(file) is { } export)
            {
                return await VerifyFileAsync(export, parse.GetValue(publicKey), parse.GetValue(checkpoint), ct);
            }

            await using var host = CliApp.BuildHost();
            // Only the schema: verifying must never seed a workspace into an empty database.
            await MigrationRunner.ApplyAsync(host.Services.GetRequiredService<Database>(), ct);
            var id = parse.GetValue(workspace);
            AuditVerifier.Report report;
            try
            {
                // Chains what is pending first (the same one-chainer-per-workspace lock as the server), then verifies with the key ring.
                var database = host.Services.GetRequiredService<Database>();
                var keys = host.Services.GetRequiredService<AuditKeys>();
                report = await new AuditVerifier(database, keys, new AuditChainer(database, keys)).VerifyAsync(id, ct);
            }
            catch (DbException ex) when (StoreOutage.IsMissingTable(ex))
            {
                await Console.Error.WriteLineAsync(
                    "this database has no audit table (audit_entries): it is not a Portcullis database, or not a complete one. "
                    + "Check Portcullis:DataDirectory and Portcullis:Storage; nothing was verified.");
                return MissingAuditTable;
            }
            catch (Exception ex) when (StoreOutage.Is(ex))
            {
                await Console.Error.WriteLineAsync($"the database cannot be reached ({ex.GetType().Name}); nothing was verified.");
                return StoreUnavailable;
            }

            if (id is not null && report.Workspaces.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no workspace {id} found");
                return 2;
            }

            Console.WriteLine(JsonSerializer.Serialize(report, Json));
            return report.Ok ? 0 : 1;
        });
        audit.Subcommands.Add(verify);
        audit.Subcommands.Add(AuditKeyCommands.PublicKey());
        audit.Subcommands.Add(AuditKeyCommands.Rotate());
        return audit;
    }

    // Needs no configuration, database or network: an auditor runs it on the file alone.
    private static async Task<int> VerifyFileAsync(FileInfo export, string? publicKey, FileInfo? checkpoint, CancellationToken ct)
    {
        if (!export.Exists)
        {
            await Console.Error.WriteLineAsync($"no file {export.FullName}");
            return 2;
        }

        byte[]? key = null;
        if (publicKey is not null && !TryBase64(publicKey, out key))
        {
            await Console.Error.WriteLineAsync("--public-key must be the base64 Ed25519 key `portcullis audit public-key` prints");
            return 2;
        }

        AuditCheckpoint? anchored = null;
        if (checkpoint is not null)
        {
            try
            {
                anchored = JsonSerializer.Deserialize<AuditCheckpoint.Dto>(await File.ReadAllTextAsync(checkpoint.FullName, ct), Json)!.ToCheckpoint();
            }
            catch (Exception ex) when (ex is IOException or JsonException or FormatException or ArgumentNullException or NullReferenceException)
            {
                await Console.Error.WriteLineAsync($"--checkpoint must be a checkpoint's JSON as GET /api/audit/checkpoints returns it ({ex.Message})");
                return 2;
            }
        }

        using var input = export.OpenText();
        var report = await ExportVerifier.VerifyAsync(input, ct, key, anchored is null ? null : [anchored]);
        Console.WriteLine(JsonSerializer.Serialize(report, Json));
        return report.Ok ? 0 : 1;
    }

    private static bool TryBase64(string text, out byte[]? bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == 32)
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = null;
        return false;
    }
}
