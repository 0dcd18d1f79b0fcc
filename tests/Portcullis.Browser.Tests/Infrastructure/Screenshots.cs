namespace Portcullis.Browser.Tests.Infrastructure;

/// <summary>Saves full-page screenshots to <c>docs/screenshots/</c> of the repository the tests run from.</summary>
public static class Screenshots
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }

        var target = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        System.IO.Directory.CreateDirectory(target);
        return target;
    });

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory.Value, name + ".png"), FullPage = true });
}
