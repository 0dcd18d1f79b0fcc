using System.Diagnostics.Metrics;

namespace Portcullis.Storage;

/// <summary>
/// The storage layer's instruments, on a meter named like the server's (<c>Portcullis</c>) so one subscription by name
/// collects both. This project has no OpenTelemetry dependency: the BCL's metrics API is all it needs.
/// </summary>
public static class StorageMetrics
{
    public static readonly Meter Meter = new("Portcullis");

    /// <summary>Pieces of work committed together by one SQLite group commit.</summary>
    public static readonly Histogram<int> WriterGroupSize = Meter.CreateHistogram<int>(
        "portcullis.sqlite.writer.group_size", "{write}", "Writes committed in one SQLite group commit",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });

    /// <summary>Writes queued for the SQLite writer and not yet taken into a group.</summary>
    public static readonly UpDownCounter<long> WriterQueueDepth = Meter.CreateUpDownCounter<long>(
        "portcullis.sqlite.writer.queue_depth", "{write}", "Writes waiting for the SQLite writer");
}
