using Portcullis.Server.Features.Bootstrap;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>What happens before the first request: schema migrations, then first-start seeding.</summary>
public static partial class Startup
{
    public static async Task<FirstStart.Report?> PrepareAsync(IServiceProvider services, CancellationToken ct)
    {
        var database = services.GetRequiredService<Database>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Portcullis.Startup");
        var applied = await MigrationRunner.ApplyAsync(database, ct);
        if (applied.Count > 0)
        {
            LogMigrations(logger, applied.Count, database.Provider, string.Join(", ", applied));
        }

        var report = await services.GetRequiredService<FirstStart>().RunAsync(ct);
        var dataDirectory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortcullisOptions>>().Value.DataDirectory;
        Security.DataDirectoryPermissions.Apply(dataDirectory, database.Provider, logger);
        return report;
    }

    /// <summary>
    /// Shows, once, what a new user needs. Written to the console rather than the log so it never
    /// travels to a log collector; secrets appear only if Portcullis generated them.
    /// </summary>
    public static void PrintBanner(WebApplication app, FirstStart.Report? report)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
        if (report is null)
        {
            Console.WriteLine($"Portcullis is listening on {url}");
            return;
        }

        var line = new string('=', 78);
        Console.WriteLine(line);
        Console.WriteLine(" Portcullis: first start. The demo workspace is ready.");
        Console.WriteLine();
        Console.WriteLine($"   Dashboard and API   {url}");
        Console.WriteLine($"   Workspace           {report.WorkspaceName} ({report.WorkspaceId})");
        Console.WriteLine($"   Owner login         {report.AdminEmail}");
        if (report.GeneratedPassword is not null)
        {
            Console.WriteLine($"   Owner password      {report.GeneratedPassword}");
        }

        Console.WriteLine($"   Agent               {report.AgentName}");
        if (report.GeneratedAgentKey is not null)
        {
            Console.WriteLine($"   Agent API key       {report.GeneratedAgentKey}");
        }

        Console.WriteLine();
        Console.WriteLine(" These secrets are shown this once and stored only as hashes. Keep them now.");
        Console.WriteLine(line);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} schema migration(s) to {Provider}: {Versions}")]
    private static partial void LogMigrations(ILogger logger, int count, StorageProvider provider, string versions);
}
