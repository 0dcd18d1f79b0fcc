using System.Diagnostics;
using System.Text.Json;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// One connector execution as telemetry sees it: the <c>execute_tool</c> span (current while the call runs, so the
/// outbound HTTP call is its child), the execution counter and the call-time histogram.
/// </summary>
public readonly struct ToolCall : IDisposable
{
    private readonly Activity? _span;
    private readonly long _started;
    private readonly string _provider;

    private ToolCall(Activity? span, string provider)
    {
        _span = span;
        _provider = provider;
        _started = Stopwatch.GetTimestamp();
    }

    public static ToolCall Start(string actionType, string provider, string agentId, string? agentName, string actionRequestId) =>
        new(GenAiSpans.StartExecuteTool(actionType, provider, agentId, agentName, actionRequestId), provider);

    /// <summary>Adds the payload (redacted) to the span: only when the operator opted in (<see cref="TelemetryOptions.CapturePayloads"/>).</summary>
    public void CapturePayload(TelemetryOptions options, JsonElement payload)
    {
        if (options.CapturePayloads && _span is { IsAllDataRequested: true })
        {
            _span.SetTag("portcullis.payload", PayloadRedactor.Redact(payload, options.MaxCapturedPayloadChars));
        }
    }

    public ConnectorResult Finish(ConnectorResult result)
    {
        var status = result.Succeeded ? ActionStatus.Executed : ActionStatus.Failed;
        var provider = new KeyValuePair<string, object?>("provider", _provider);
        var statusTag = new KeyValuePair<string, object?>("status", status);
        PortcullisTelemetry.Executions.Add(1, provider, statusTag);
        PortcullisTelemetry.ConnectorCall.Record(PortcullisTelemetry.SecondsSince(_started), provider, statusTag);
        GenAiSpans.SetResult(_span, result);
        return result;
    }

    public void Dispose() => _span?.Dispose();
}
