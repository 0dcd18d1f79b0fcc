namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>Paths in the repository these tests run from, found by walking up to <c>Portcullis.slnx</c>.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Portcullis.slnx above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}
