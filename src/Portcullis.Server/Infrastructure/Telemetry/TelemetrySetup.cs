using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// Traces, metrics and console logs. Nothing is collected for export unless asked: traces when an OTLP endpoint is
/// configured (standard <c>OTEL_EXPORTER_OTLP_*</c> settings) or <see cref="TelemetryOptions.Tracing"/> is on; metrics when
/// OTLP or the Prometheus endpoint is on. The instruments themselves always exist and cost next to nothing unheard.
/// </summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddPortcullisTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var options = config.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value);
        ConfigureLogging(builder.Logging, options);

        var otlp = HasOtlpEndpoint(config, "TRACES");
        var otlpMetrics = HasOtlpEndpoint(config, "METRICS");
        if (!otlp && !options.Tracing && !otlpMetrics && !options.Prometheus.Enabled)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? "portcullis"));
        if (otlp || options.Tracing)
        {
            telemetry.WithTracing(t =>
            {
                t.AddSource(PortcullisTelemetry.Name).AddAspNetCoreInstrumentation(Requests).AddHttpClientInstrumentation();
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        }

        if (otlpMetrics || options.Prometheus.Enabled)
        {
            telemetry.WithMetrics(m =>
            {
                m.AddMeter(PortcullisTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (otlpMetrics)
                {
                    m.AddOtlpExporter();
                }

                if (options.Prometheus.Enabled)
                {
                    m.AddPrometheusExporter();
                }
            });
        }

        return builder;
    }

    private static bool HasOtlpEndpoint(IConfiguration config, string signal) =>
        !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(config[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);

    // Health probes and metric scrapes would otherwise be most of the spans of a quiet server.
    private static void Requests(OpenTelemetry.Instrumentation.AspNetCore.AspNetCoreTraceInstrumentationOptions o) =>
        o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics");

    private static void ConfigureLogging(ILoggingBuilder logging, TelemetryOptions options)
    {
        // Every line written while a request runs carries its trace and span ids (as scope values).
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (string.Equals(options.LogFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }

    /// <summary>Maps <c>GET /metrics</c> when the Prometheus endpoint is on, behind a bearer token when one is configured.</summary>
    public static WebApplication MapPortcullisMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (!options.Prometheus.Enabled)
        {
            return app;
        }

        var token = app.Configuration[TelemetryOptions.Section + ":Prometheus:BearerToken"];
        if (!string.IsNullOrEmpty(token))
        {
            app.UseWhen(http => http.Request.Path.StartsWithSegments(options.Prometheus.Path), b => b.Use(MetricsToken.Require(token)));
        }

        app.MapPrometheusScrapingEndpoint(options.Prometheus.Path);
        return app;
    }
}
