using System.Diagnostics;

namespace Portcullis.Policies.Tooling;

/// <summary>
/// Per-call latency samples in Stopwatch ticks with bounded memory: when the buffer fills, every
/// second sample is dropped and the sampling stride doubles, so the kept samples stay spread
/// evenly over the whole run.
/// </summary>
internal sealed class LatencyMeter(int capacity = 1 << 20)
{
    private readonly long[] _samples = new long[capacity];
    private int _count;
    private long _calls;
    private long _stride = 1;

    public long Calls => _calls;

    public void Record(long ticks)
    {
        if (_calls++ % _stride != 0)
        {
            return;
        }

        if (_count == _samples.Length)
        {
            for (var i = 0; i < _count / 2; i++)
            {
                _samples[i] = _samples[i * 2];
            }

            _count /= 2;
            _stride *= 2;
        }

        _samples[_count++] = ticks;
    }

    /// <summary>The <paramref name="percentile"/> (0–100) latency in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (_count == 0)
        {
            return 0;
        }

        var sorted = _samples[.._count];
        Array.Sort(sorted);
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * _count) - 1, 0, _count - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
