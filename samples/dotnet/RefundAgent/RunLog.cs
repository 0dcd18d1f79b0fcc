using Portcullis.Client;

namespace RefundAgent;

/// <summary>The run's timeline as this agent writes it: sequence numbers from 2 (1 is the server's run.started).</summary>
internal sealed class RunLog(PortcullisClient portcullis, string runId)
{
    private long _nextSeq = 2;

    public string RunId => runId;

    public async Task AddAsync(string eventType, object payload, CancellationToken ct)
    {
        var sequenceNo = _nextSeq++;
        await portcullis.LogEventsAsync(runId, [new RunEvent(eventType, sequenceNo, payload)], ct);
        Console.WriteLine($"logged {eventType} (seq {sequenceNo})");
    }
}
