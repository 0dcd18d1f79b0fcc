using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portcullis.Client.Tests;

/// <summary>What the fake server received.</summary>
public sealed record Received(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, JsonElement? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>How the fake server answers one request.</summary>
public sealed record Reply
{
    public int Status { get; init; } = 200;
    /// <summary>Sent as JSON.</summary>
    public object? Json { get; init; }
    /// <summary>Sent as text/html, for proxies' error pages.</summary>
    public string? Text { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>Wait this long before answering: slow servers and long-polls.</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Drop the connection without an answer.</summary>
    public bool Reset { get; init; }
}

/// <summary>A local Kestrel server that records every request and answers from a queue of replies.</summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Reply> _replies = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly WebApplication _app;

    private FakeServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<Received> Received => [.. _received];

    public static async Task<FakeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Queues replies, answered in order.</summary>
    public FakeServer Reply(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        JsonElement? body = raw.Length == 0 ? null : JsonDocument.Parse(raw).RootElement.Clone();
        _received.Enqueue(new Received(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));

        var reply = _replies.TryDequeue(out var next) ? next : new Reply { Status = 599, Text = "the test queued no reply" };
        try
        {
            await Task.Delay(reply.Delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (reply.Reset)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Text is not null)
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(reply.Text);
        }
        else if (reply.Json is not null)
        {
            context.Response.ContentType = reply.Status >= 400 ? "application/problem+json" : "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(reply.Json));
        }
    }
}
