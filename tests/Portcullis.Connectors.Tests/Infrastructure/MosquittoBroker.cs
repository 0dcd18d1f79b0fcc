using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>
/// A real Mosquitto (Debian's <c>mosquitto</c>, installed by scripts/install-mosquitto.sh) started for the tests on a
/// free loopback port with a password file, and killed afterwards. Anonymous clients are refused.
/// </summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    public const string User = "portcullis";
    public const string Password = "LEAKCHECK-mqtt-password-0001";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-mosquitto-" + Guid.NewGuid().ToString("n"));
    private Process? _process;

    public int Port { get; private set; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>A TLS listener that authenticates clients by certificate (the CN becomes the user name).</summary>
    public int TlsPort { get; private set; }

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Port = FreePort();
        TlsPort = FreePort();
        var (ca, cert, key) = (Path.Combine(_directory, "ca.pem"), Path.Combine(_directory, "server.pem"), Path.Combine(_directory, "server.key"));
        await File.WriteAllTextAsync(ca, Certificates.CaPem);
        await File.WriteAllTextAsync(cert, Certificates.ServerCertPem);
        await File.WriteAllTextAsync(key, Certificates.ServerKeyPem);
        var passwords = Path.Combine(_directory, "passwd");
        await RunAsync("mosquitto_passwd", "-b", "-c", passwords, User, Password);
        var config = Path.Combine(_directory, "mosquitto.conf");
        // `user` naming the current account keeps a broker started as root from dropping to a user that cannot read the files.
        await File.WriteAllTextAsync(config, $"""
            allow_anonymous false
            password_file {passwords}
            persistence false
            user {Environment.UserName}
            log_dest stderr
            listener {Port} 127.0.0.1
            listener {TlsPort} 127.0.0.1
            cafile {ca}
            certfile {cert}
            keyfile {key}
            require_certificate true
            use_identity_as_username true
            """);
        _process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("mosquitto did not start; run scripts/install-mosquitto.sh");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        await WaitForPortAsync();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A credential for this broker with the given password (the right one by default).</summary>
    public CredentialSecrets Credential(string password = Password) =>
        Credentials.Make("mqtt", ("brokerUrl", Url), ("username", User), ("password", password));

    private async Task WaitForPortAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (_process is { HasExited: false })
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"mosquitto did not listen on port {Port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}

[CollectionDefinition(Name)]
public sealed class MosquittoCollection : ICollectionFixture<MosquittoBroker>
{
    public const string Name = "mosquitto";
}
