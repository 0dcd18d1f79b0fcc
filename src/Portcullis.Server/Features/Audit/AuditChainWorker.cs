using Microsoft.Extensions.Options;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Chains appended audit entries shortly after they commit, and signs a checkpoint of every workspace whose chain moved,
/// every <see cref="AuditOptions.CheckpointIntervalMinutes"/>. Everything it works from is in the database, so after a
/// crash it resumes where it stopped; several instances may run it (the chainer's per-workspace lock keeps one at a time).
/// </summary>
public sealed partial class AuditChainWorker(AuditChainer chainer, AuditCheckpoints checkpoints, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<AuditChainWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var checkpointEvery = TimeSpan.FromMinutes(settings.CheckpointIntervalMinutes);
        var nextCheckpoint = time.GetUtcNow() + checkpointEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await chainer.ChainAllAsync(stoppingToken);
                if (settings.CheckpointIntervalMinutes > 0 && time.GetUtcNow() >= nextCheckpoint)
                {
                    nextCheckpoint = time.GetUtcNow() + checkpointEvery;
                    LogCheckpoints(logger, await checkpoints.CreateWhereMovedAsync(stoppingToken));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Nothing is lost: the entries stay pending and the next round retries.
                LogFailed(logger, ex);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, settings.ChainIntervalMilliseconds)), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed {Count} audit checkpoints")]
    private static partial void LogCheckpoints(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chaining audit entries failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
