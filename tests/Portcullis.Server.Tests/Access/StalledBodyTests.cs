using System.Net;
using System.Text;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

/// <summary>
/// A key in the header is judged before the body is read, so a caller without a valid key cannot hold a request
/// open by sending its body slowly; only a key-less call to a spec endpoint must wait for the body (its key is there).
/// </summary>
public sealed class StalledBodyTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task A_bad_header_key_is_refused_while_the_body_is_still_arriving()
    {
        var ws = await server.NewWorkspaceAsync();
        using var body = new StalledBody("{\"triggerType\":");
        try
        {
            using var content = new StreamContent(body);
            content.Headers.ContentType = new("application/json");
            // The test server's own client: the factory's default one buffers request bodies to replay them on redirects.
            using var client = server.Factory.Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", ws.AgentKey[..^1] + "x");
            var send = client.PostAsync("/api/ingest/run-start", content);
            var response = await send.WaitAsync(TimeSpan.FromSeconds(15));
            await response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        }
        finally
        {
            body.Finish();
        }
    }

    /// <summary>Sends its first bytes, then nothing until <see cref="Finish"/>.</summary>
    private sealed class StalledBody(string start) : Stream
    {
        private readonly byte[] _start = Encoding.UTF8.GetBytes(start);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _sent;

        public void Finish() => _finished.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                _start.CopyTo(buffer);
                return _start.Length;
            }

            await _finished.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
