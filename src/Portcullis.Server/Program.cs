using Portcullis.Server.Cli;
using Portcullis.Server.Infrastructure;

/// <summary>
/// The one executable: <c>portcullis</c> (or <c>portcullis serve</c>) runs the server; other first
/// arguments are administration commands (<c>portcullis billing …</c>, …).
/// </summary>
public partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && CliApp.IsCommand(args[0]))
        {
            return await CliApp.RunAsync(args);
        }

        var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
        // Configuration files are not watched for changes unless asked (--hostBuilder:reloadConfigOnChange=true):
        // the watcher covers the whole content root, where ./data usually lives, so every SQLite WAL write
        // woke it (measured: ~15 % of the server's CPU under write load).
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. serveArgs]);
        ThreadPoolTuning.ForStore(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        // Request-by-request framework logs are noise on a console; configuration can still turn them up.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).HideStartupCriticals();
        builder.AddPortcullis();
        var app = builder.Build();
        app.MapPortcullis();

        var firstStart = await Startup.PrepareAsync(app.Services, app.Lifetime.ApplicationStopping);
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (StartFailures.Explain(e, builder.Configuration["urls"] ?? "http://localhost:5080") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }

        StartFailures.Started();
        Startup.PrintBanner(app, firstStart);
        await app.WaitForShutdownAsync();
        return 0;
    }
}
