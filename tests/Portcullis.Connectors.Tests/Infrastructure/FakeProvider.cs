using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>What the fake provider received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? ContentType => Header("Content-Type");

    /// <summary>The form body decoded, with keys in order of appearance.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form =>
        BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(Uri.UnescapeDataString(kv[0].Replace('+', ' ')), Uri.UnescapeDataString(kv[1].Replace('+', ' '))))
            .ToList();

    public string? FormValue(string key) => Form.FirstOrDefault(kv => kv.Key == key).Value;

    /// <summary>user and password of a Basic authorization header.</summary>
    public (string User, string Password)? BasicAuth()
    {
        if (Header("Authorization") is not { } header || !AuthenticationHeaderValue.TryParse(header, out var auth) || auth.Scheme != "Basic")
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter!));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return (decoded[..colon], decoded[(colon + 1)..]);
    }
}

/// <summary>How the fake answers one request.</summary>
public sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static FakeResponse Json(int status, object body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(body), headers);
}

/// <summary>
/// A local stand-in for a provider's HTTP API on Kestrel (127.0.0.1, port 0). It records every request
/// and answers through a handler that also sees how many requests came before, so tests can script
/// "429 first, then 200".
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];
    private readonly Func<RecordedRequest, int, FakeResponse> _handler;

    private FakeProvider(WebApplication app, Func<RecordedRequest, int, FakeResponse> handler)
    {
        _app = app;
        _handler = handler;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public RecordedRequest Single => Assert.Single(Requests);

    public static Task<FakeProvider> StartAsync(Func<RecordedRequest, FakeResponse> handler) => StartAsync((request, _) => handler(request));

    public static async Task<FakeProvider> StartAsync(Func<RecordedRequest, int, FakeResponse> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeProvider(app, handler);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.Single());
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body.ToArray());
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add(recorded);
        }

        var answer = _handler(recorded, index);
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType ??= "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
