namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// Section <c>Portcullis:Telemetry</c>. Exporting traces and metrics is configured with the standard <c>OTEL_*</c>
/// settings (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>, …); these are Portcullis's own switches.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Portcullis:Telemetry";

    /// <summary>Collect traces even without an OTLP endpoint (for an exporter added in code, such as a test's).</summary>
    public bool Tracing { get; set; }

    /// <summary>
    /// Put each executed action's payload (redacted: members named like secrets are masked) on its <c>execute_tool</c>
    /// span. Off by default: payloads may hold personal data.
    /// </summary>
    public bool CapturePayloads { get; set; }

    public int MaxCapturedPayloadChars { get; set; } = 4096;

    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>Console log format: <c>simple</c> (default) or <c>json</c> (one object a line, with the trace id).</summary>
    public string LogFormat { get; set; } = "simple";
}

/// <summary>Section <c>Portcullis:Telemetry:Prometheus</c>.</summary>
public sealed class PrometheusOptions
{
    /// <summary>Serve <c>GET /metrics</c> in the Prometheus text format.</summary>
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";
}
