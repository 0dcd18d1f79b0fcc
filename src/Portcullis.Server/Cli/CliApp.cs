using System.CommandLine;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Cli;

/// <summary>The administration sub-commands of the <c>portcullis</c> executable.</summary>
public static class CliApp
{
    private static readonly string[] Commands = ["admin", "agents", "billing", "audit", "migrate", "policy", "vault", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string first) => Commands.Contains(first);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Portcullis: a self-hosted control plane for AI agents. With no command, runs the server.");
        root.Subcommands.Add(new Command("serve", "Run the server (the default)."));
        root.Subcommands.Add(AdminCommands.Create());
        root.Subcommands.Add(AgentCommands.Create());
        root.Subcommands.Add(BillingCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(MigrateCommand());
        root.Subcommands.Add(PolicyCommands.Create());
        root.Subcommands.Add(VaultCommands.Create());
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Services of the server (configuration, database) without starting it.</summary>
    internal static WebApplication BuildHost()
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Logging.ClearProviders();
        builder.AddPortcullis();
        return builder.Build();
    }

    private static Command MigrateCommand()
    {
        var command = new Command("migrate", "Apply schema migrations (and first-start seeding) without serving.");
        command.SetAction(async (_, ct) =>
        {
            await using var host = BuildHost();
            var report = await Startup.PrepareAsync(host.Services, ct);
            Console.WriteLine(report is null ? "schema is up to date" : $"schema is up to date; created workspace {report.WorkspaceId}");
            return 0;
        });
        return command;
    }
}
