namespace Portcullis.Bench;

/// <summary>Collects per-operation latencies and reports percentiles.</summary>
public sealed class Latencies
{
    private readonly List<double> _ms = [];

    public void Add(double ms)
    {
        lock (_ms)
        {
            _ms.Add(ms);
        }
    }

    public int Count => _ms.Count;

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _ms.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        }
    }
}
