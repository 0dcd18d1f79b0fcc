using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>
/// A real SMTP server for the tests: Debian's aiosmtpd (scripts/install-smtp.sh) on a free loopback port, with a small
/// handler that saves every accepted message as a file, and answers 451 (try again) to the first message for any
/// recipient whose address starts with <c>flaky-</c>. Killed afterwards.
/// </summary>
public sealed class SmtpSink : IAsyncLifetime
{
    private const string Handler = """
        import os, uuid

        class Save:
            def __init__(self, directory):
                self.directory = directory
                self.refused = set()

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(args[0])

            async def handle_DATA(self, server, session, envelope):
                flaky = [r for r in envelope.rcpt_tos if r.startswith('flaky-') and r not in self.refused]
                if flaky:
                    self.refused.update(flaky)
                    return '451 4.3.0 try again later'
                name = os.path.join(self.directory, uuid.uuid4().hex)
                with open(name + '.tmp', 'wb') as f:
                    f.write(envelope.original_content or envelope.content)
                os.rename(name + '.tmp', name + '.eml')
                return '250 OK'
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-smtp-" + Guid.NewGuid().ToString("n"));
    private Process? _process;

    public int Port { get; private set; }

    private string Inbox => Path.Combine(_directory, "inbox");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inbox);
        await File.WriteAllTextAsync(Path.Combine(_directory, "portcullis_sink.py"), Handler);
        Port = FreePort();
        // Debian's interpreter: the one that sees python3-aiosmtpd, whatever python3 comes first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "portcullis_sink.Save", Inbox])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = _directory,
        };
        start.Environment["PYTHONPATH"] = _directory;
        _process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start; run scripts/install-smtp.sh");
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

    /// <summary>Every message received so far that concerns the approval (its <c>X-Portcullis-Approval</c> header).</summary>
    public async Task<List<MimeMessage>> MessagesAsync(string approvalId)
    {
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(Inbox, "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.Headers["X-Portcullis-Approval"] == approvalId)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages about the approval have arrived.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string approvalId, int count, Func<MimeMessage, bool>? filter = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = (await MessagesAsync(approvalId)).Where(filter ?? (_ => true)).ToList();
            if (messages.Count >= count)
            {
                return messages;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {count} emails about {approvalId}; got {messages.Count}");
            await Task.Delay(100);
        }
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
