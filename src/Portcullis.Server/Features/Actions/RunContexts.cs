using Microsoft.Extensions.Caching.Memory;
using Portcullis.Server.Features.Runs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The runs actions were recently requested in, as policies see them: their trigger, external reference and agent version
/// never change once a run is open, so an action need not read them again (on PostgreSQL a round trip per request).
/// PERFORMANCE over freshness, safely: the status remembered is not trusted to let an action through. The decision's insert
/// checks that the run is still open under its row lock (<see cref="ActionRecorder"/>), so a run ended since, on any
/// instance, still refuses the action, with the same answer. Only the engine's requests use it, and only where a run's end
/// could change nothing before that insert (see <see cref="ActionDecider.PreflightAsync"/>).
/// </summary>
public sealed class RunContexts(Database database) : IDisposable
{
    // Bounded: one small entry per run in use, forgotten after a quiet quarter of an hour or when the bound is reached.
    private readonly MemoryCache _open = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(15) };

    /// <summary>The run as read now.</summary>
    public async Task<RunContext?> ReadAsync(string runId, string agentId, CancellationToken ct)
    {
        var run = await RunContext.FindAsync(database, runId, agentId, ct);
        if (run is not null && RunStatus.IsOpen(run.Status))
        {
            _open.Set((runId, agentId), run, Entry);
        }

        return run;
    }

    /// <summary>The run as last read open here, else as read now.</summary>
    public ValueTask<RunContext?> FindAsync(string runId, string agentId, CancellationToken ct) =>
        _open.TryGetValue((runId, agentId), out RunContext? known) ? new(known) : new(ReadAsync(runId, agentId, ct));

    public void Dispose() => _open.Dispose();
}
