using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>Nothing is collected or served unless configured; captured payloads are redacted.</summary>
public sealed class TelemetrySwitchTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Without_otlp_or_prometheus_settings_no_provider_runs_and_metrics_are_not_served()
    {
        Assert.Null(server.Factory.Services.GetService<TracerProvider>());
        Assert.Null(server.Factory.Services.GetService<MeterProvider>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Anonymous().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void A_captured_payload_keeps_its_shape_and_loses_secret_looking_values()
    {
        using var payload = JsonDocument.Parse("""
            {"amount":7999,"charge":"ch_1","apiKey":"sk_live_x","nested":{"Password":"p","cardNumber":"4242"},"items":[{"token":"t","sku":"a"}]}
            """);
        var captured = PayloadRedactor.Redact(payload.RootElement, 4096);
        Assert.Equal(
            """{"amount":7999,"charge":"ch_1","apiKey":"[redacted]","nested":{"Password":"[redacted]","cardNumber":"[redacted]"},"items":[{"token":"[redacted]","sku":"a"}]}""",
            captured);
        Assert.Equal(11, PayloadRedactor.Redact(payload.RootElement, 10).Length);
    }
}
