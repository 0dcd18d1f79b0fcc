using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>
/// A local stand-in for Stripe's HTTP API on a real port: records what it receives and answers like
/// Stripe (refunds, balance, error bodies), so live mode is tested end to end.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string GoodKey = "sk_test_FakeStripeGoodKey4242";

    private WebApplication? _app;

    public sealed record Received(string Method, string Path, string? Authorization, string? IdempotencyKey, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>When set, POST /v1/refunds fails with this card error.</summary>
    public bool DeclineRefunds { get; set; }

    public string BaseUrl { get; private set; } = "";

    public int RefundCalls => Requests.Count(r => r is { Method: "POST", Path: "/v1/refunds" });

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
        BaseUrl = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        Requests.Enqueue(new Received(http.Request.Method, http.Request.Path, http.Request.Headers.Authorization.ToString(),
            http.Request.Headers["Idempotency-Key"].ToString(), body));
        http.Response.Headers["Request-Id"] = "req_fake123";
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {GoodKey}")
        {
            await Answer(http, 401, """{"error":{"type":"invalid_request_error","code":"api_key_invalid","message":"Invalid API Key provided"}}""");
        }
        else if (http.Request.Path == "/v1/refunds" && DeclineRefunds)
        {
            await Answer(http, 402, """{"error":{"type":"card_error","code":"charge_already_refunded","message":"Charge ch_3OabcEXAMPLE has already been refunded."}}""");
        }
        else if (http.Request.Path == "/v1/refunds")
        {
            await Answer(http, 200, """{"id":"re_live_1","object":"refund","amount":7999,"charge":"ch_3OabcEXAMPLE","currency":"usd","status":"succeeded","reason":"requested_by_customer"}""");
        }
        else if (http.Request.Path == "/v1/balance")
        {
            await Answer(http, 200, """{"object":"balance","available":[{"amount":0,"currency":"usd"}],"livemode":false}""");
        }
        else
        {
            await Answer(http, 404, """{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}""");
        }
    }

    private static Task Answer(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
