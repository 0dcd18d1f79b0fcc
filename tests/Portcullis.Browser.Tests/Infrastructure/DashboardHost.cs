using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Portcullis.Browser.Tests.Infrastructure;

/// <summary>
/// The real server on a real port (Kestrel, SQLite in a temp directory) and one headless Chromium,
/// shared by every browser test. Each test opens its own browser context, so cookies never leak between tests.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string OwnerEmail = "owner@dashboard.example";
    public const string OwnerPassword = "correct horse battery staple";
    public const string AgentKey = "pk_live_BrowserTestsAgentKey00000000000000000";
    public const string OwnerToken = "pat_BrowserTestsOwnerToken000000000000000000";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "portcullis-browser", Guid.NewGuid().ToString("n"));
    private Factory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run `bash scripts/install-chromium.sh` first (never `playwright install`).");
        }

        Directory.CreateDirectory(_dataDirectory);
        _factory = new Factory(_dataDirectory);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A management API client with the seeded owner's token (or another bearer token).</summary>
    public HttpClient Api(string token = OwnerToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A fresh browser context (its own cookies) at laptop width, or phone width.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1366, Height = 900 },
            DeviceScaleFactor = 1,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in form and waits for the dashboard.</summary>
    public async Task<IPage> SignInAsync(string email = OwnerEmail, string password = OwnerPassword, bool phone = false)
    {
        var page = await NewPageAsync(phone);
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; the temp directory is cleaned later.
        }
    }

    private sealed class Factory(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Portcullis:DataDirectory", dataDirectory);
            builder.UseSetting("Portcullis:Storage:Provider", "sqlite");
            builder.UseSetting("Portcullis:Init:AdminEmail", OwnerEmail);
            builder.UseSetting("Portcullis:Init:AdminPassword", OwnerPassword);
            builder.UseSetting("Portcullis:Init:AgentKey", AgentKey);
            builder.UseSetting("Portcullis:Init:AdminToken", OwnerToken);
            builder.UseSetting("Portcullis:RateLimits:LoginAttemptsPerMinute", "1000");
            // The tests' fake receivers listen on loopback over plain http: allowed here as an operator allows an internal target.
            builder.UseSetting("Portcullis:Network:AllowedTargets:0", "127.0.0.1");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard";
}
