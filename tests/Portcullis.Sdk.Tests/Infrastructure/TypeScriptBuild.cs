namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>
/// Builds the TypeScript SDK and its sample when their output is missing or older than their sources:
/// `npm ci` once (when node_modules has no compiler yet), then `npm run build`. Once per test process,
/// and under a file lock, since another test process may build the same folders at the same time.
/// </summary>
public static class TypeScriptBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _built;

    public static string SdkFolder => Repository.PathOf("sdk", "typescript");

    public static string SampleFolder => Repository.PathOf("samples", "typescript");

    public static async Task EnsureBuiltAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built)
            {
                return;
            }

            await using var crossProcess = await LockAsync();
            await BuildAsync(SdkFolder, "dist/index.js");
            // The sample compiles against the SDK's type definitions, so a newer SDK build makes it stale too.
            await BuildAsync(SampleFolder, "dist/refund-agent.js", Path.Combine(SdkFolder, "dist", "index.d.ts"));
            _built = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task BuildAsync(string folder, string output, params string[] otherInputs)
    {
        var npm = Tools.Find("npm");
        if (!File.Exists(Path.Combine(folder, "node_modules", ".bin", "tsc")))
        {
            await Tools.RunAsync(folder, TimeSpan.FromMinutes(5), npm, "ci", "--no-audit", "--no-fund");
        }

        if (IsStale(folder, output, otherInputs))
        {
            await Tools.RunAsync(folder, TimeSpan.FromMinutes(3), npm, "run", "build");
        }
    }

    // Output older than any of its sources is rebuilt: a test must never run yesterday's SDK.
    private static bool IsStale(string folder, string output, string[] otherInputs)
    {
        var built = new FileInfo(Path.Combine(folder, output));
        if (!built.Exists)
        {
            return true;
        }

        var inputs = Directory.EnumerateFiles(Path.Combine(folder, "src"), "*.ts", SearchOption.AllDirectories)
            .Concat([Path.Combine(folder, "package.json"), Path.Combine(folder, "tsconfig.json")])
            .Concat(otherInputs);
        return inputs.Any(input => File.GetLastWriteTimeUtc(input) > built.LastWriteTimeUtc);
    }

    private static async Task<FileStream> LockAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "portcullis-sdk-tests-typescript.lock");
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
