using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Portcullis.Server.Tests.Credentials;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>
/// A live-Stripe server whose traces go to an in-memory exporter. Activity sources are process-wide, so spans of other
/// test servers arrive too: tests pick theirs by the trace id they sent in <c>traceparent</c>.
/// </summary>
public abstract class TracingServer(StorageProvider provider) : LiveStripeServer(provider)
{
    private readonly LockedList<Activity> _exported = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Portcullis:Telemetry:Tracing"] = "true",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_exported));

    /// <summary>The ended spans of one trace, waiting (briefly) for <paramref name="until"/> to hold: a request's own span ends after its answer.</summary>
    public async Task<IReadOnlyList<Activity>> SpansAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> until)
    {
        for (var i = 0; ; i++)
        {
            var spans = _exported.Snapshot().Where(a => a.TraceId == traceId).ToList();

            if (until(spans) || i == 100)
            {
                return spans;
            }

            await Task.Delay(50);
        }
    }
}

public sealed class TracingSqliteServer() : TracingServer(StorageProvider.Sqlite);

public sealed class TracingPostgresServer() : TracingServer(StorageProvider.Postgres);
