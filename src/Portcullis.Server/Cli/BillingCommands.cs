using System.CommandLine;
using System.Globalization;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary><c>portcullis billing show|set</c>: billing state, with no billing provider behind it yet.</summary>
public static class BillingCommands
{
    public static Command Create()
    {
        var billing = new Command("billing", "Show or set a workspace's billing state.");
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (default: the only workspace)" };

        var show = new Command("show", "Print the billing state as JSON.") { workspace };
        show.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            await Startup.PrepareAsync(host.Services, ct);
            var ws = await ResolveAsync(host.Services.GetRequiredService<Database>(), parse.GetValue(workspace), ct);
            if (ws is null)
            {
                return 2;
            }

            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(ws.ToSettings(TimeProvider.System.Now()).Billing));
            return 0;
        });

        var state = new Option<string>("--state") { Description = "active, trialing, past_due or cancelled", Required = true };
        state.AcceptOnlyFromAmong(Billing.States);
        var trialEnds = new Option<DateTimeOffset?>("--trial-ends-at") { Description = "When a trial ends (ISO 8601)" };
        var pastDueSince = new Option<DateTimeOffset?>("--past-due-since") { Description = "When payment became past due (ISO 8601)" };
        var graceDays = new Option<int?>("--grace-days") { Description = "Days past due before agents are refused" };
        var set = new Command("set", "Change the billing state.") { workspace, state, trialEnds, pastDueSince, graceDays };
        set.SetAction(async (parse, ct) =>
        {
            await using var host = CliApp.BuildHost();
            await Startup.PrepareAsync(host.Services, ct);
            var database = host.Services.GetRequiredService<Database>();
            var ws = await ResolveAsync(database, parse.GetValue(workspace), ct);
            if (ws is null)
            {
                return 2;
            }

            var patch = new SettingsPatch
            {
                BillingState = parse.GetValue(state),
                BillingTrialEndsAt = parse.GetValue(trialEnds)?.ToUnixTimeMilliseconds(),
                BillingPastDueSince = parse.GetValue(pastDueSince)?.ToUnixTimeMilliseconds(),
                BillingGraceDays = parse.GetValue(graceDays),
            }.WithBillingDefaults(TimeProvider.System.Now());
            var audit = host.Services.GetRequiredService<AuditTrail>();
            await database.WriteAsync(async (c, t) =>
            {
                await patch.ApplyAsync(c, t, ws.Id);
                await audit.AppendAsync(c, t, ws.Id, Actor.System, "settings.updated", "workspace", ws.Id, new { via = "cli", patch.BillingState });
            }, ct);
            var updated = await WorkspaceStore.FindAsync(await database.OpenAsync(ct), ws.Id);
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(updated!.ToSettings(TimeProvider.System.Now()).Billing));
            return 0;
        });

        billing.Subcommands.Add(show);
        billing.Subcommands.Add(set);
        return billing;
    }

    private static async Task<WorkspaceRow?> ResolveAsync(Database database, string? id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<WorkspaceRow>(
            $"SELECT {WorkspaceRow.Columns} FROM workspaces WHERE @id IS NULL OR id = @id ORDER BY created_at", new { id })).ToList();
        if (rows.Count == 1)
        {
            return rows[0];
        }

        await Console.Error.WriteLineAsync(rows.Count == 0
            ? $"no workspace {id ?? ""} found"
            : string.Create(CultureInfo.InvariantCulture, $"{rows.Count} workspaces exist; choose one with --workspace: {string.Join(", ", rows.Select(r => r.Id))}"));
        return null;
    }
}
