using System.CommandLine;
using System.Text.Json;
using Portcullis.Server.Features.Audit;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary><c>portcullis audit verify [--workspace ID]</c>: recompute the audit hash chains.</summary>
public static class AuditCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var audit = new Command("audit", "Inspect the tamper-evident audit trail.");
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (default: every workspace)" };
        var verify = new Command("verify", "Recompute every hash chain and print a JSON report. Exit code 0: intact; 1: tampered; 2: no such workspace.")
        {
            workspace,
        };
        verify.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            // Only the schema: verifying must never seed a workspace into an empty database.
            await MigrationRunner.ApplyAsync(host.Services.GetRequiredService<Database>(), ct);
            var id = parse.GetValue(workspace);
            var report = await new AuditVerifier(host.Services.GetRequiredService<Database>()).VerifyAsync(id, ct);
            if (id is not null && report.Workspaces.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no workspace {id} found");
                return 2;
            }

            Console.WriteLine(JsonSerializer.Serialize(report, Json));
            return report.Ok ? 0 : 1;
        });
        audit.Subcommands.Add(verify);
        return audit;
    }
}
