namespace Portcullis.Browser.Tests.Infrastructure;

/// <summary>
/// Saves full-page screenshots. The test suite must not change tracked files, so by default they go to a scratch folder
/// (<c>$TMPDIR/portcullis-screenshots</c>, printed nowhere else); with <c>PORTCULLIS_UPDATE_SCREENSHOTS=1</c> they replace
/// <c>docs/screenshots/</c> of the repository the tests run from, to refresh the documentation on purpose.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "PORTCULLIS_UPDATE_SCREENSHOTS";

    private static readonly Lazy<string> Directory = new(() =>
    {
        var target = Environment.GetEnvironmentVariable(UpdateVariable) == "1"
            ? Path.Combine(RepositoryRoot() ?? Path.GetTempPath(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "portcullis-screenshots");
        System.IO.Directory.CreateDirectory(target);
        return target;
    });

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory.Value, name + ".png"), FullPage = true });

    private static string? RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }
}
