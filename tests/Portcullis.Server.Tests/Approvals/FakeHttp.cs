using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>One request a fake received.</summary>
public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A local HTTP server on Kestrel (127.0.0.1, port 0) that records every request and answers through a handler
/// that also sees how many requests came before it. Stands in for Stripe and for an agent's callback receiver.
/// </summary>
public sealed class FakeHttp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Func<Received, int, (int Status, string Body)> _answer;
    private int _count;
    private TimeSpan _delay;

    private FakeHttp(WebApplication app, Func<Received, int, (int Status, string Body)> answer)
    {
        _app = app;
        _answer = answer;
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<Received> Requests => _received.ToList();

    public static async Task<FakeHttp> StartAsync(Func<Received, int, (int Status, string Body)> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeHttp(app, answer);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.Single();
        return fake;
    }

    /// <summary>A fake Stripe: every refund succeeds (after a short pause, so racing approvers overlap with the call).</summary>
    public static async Task<FakeHttp> StripeAsync()
    {
        var fake = await StartAsync((_, _) =>
            (200, """{"id":"re_fake123","object":"refund","amount":7999,"status":"succeeded","charge":"ch_3OabcEXAMPLE"}"""));
        fake._delay = TimeSpan.FromMilliseconds(50);
        return fake;
    }

    /// <summary>Stripe refunds made for one action request (the connector's idempotency key names it).</summary>
    public int RefundsFor(string actionRequestId) =>
        Requests.Count(r => r.Method == "POST" && r.Path == "/v1/refunds" && r.Header("Idempotency-Key") == $"portcullis-{actionRequestId}");

    /// <summary>How long every answer waits from now on (a slow provider, or one that recovered).</summary>
    public void Delay(TimeSpan delay) => _delay = delay;

    public List<Received> To(string path) => Requests.Where(r => r.Path == path).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new Received(context.Request.Method, context.Request.Path.Value ?? "", headers, body, DateTimeOffset.UtcNow);
        var index = Interlocked.Increment(ref _count) - 1;
        _received.Enqueue(received);
        var (status, answer) = _answer(received, index);
        await Task.Delay(_delay, context.RequestAborted);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
