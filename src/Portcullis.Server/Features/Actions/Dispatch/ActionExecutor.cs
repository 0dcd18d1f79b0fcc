using System.Text.Json;
using Portcullis.Connectors;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions.Dispatch;

/// <summary>
/// Runs dispatch jobs: sends an allowed (or approved) built-in action to its connector and completes the job with the
/// execution. The request that decided the action runs its job inline (<see cref="RunHeldAsync"/>); the worker runs the
/// rest — queued retries, and jobs whose holder died (<see cref="RunAsync"/>).
/// </summary>
public sealed partial class ActionExecutor(Database database, JobStore jobs, ActionDispatcher dispatcher, ExecutionWriter writer, JobLeases leases,
    TelemetryOptions telemetry, ILogger<ActionExecutor> logger) : IJobHandler
{
    public const string JobKind = "dispatch";

    /// <summary>After this many starts that never recorded a result, a safe call is given up as failed rather than sent again.</summary>
    public const int MaxStarts = 5;

    public string Kind => JobKind;

    /// <summary>Sends the action of a job this caller holds and records the result; null when the lease was lost meanwhile.</summary>
    public async Task<string?> RunHeldAsync(ClaimedJob job, DispatchTarget target)
    {
        using var held = leases.Hold(job.Id);
        return await SendAsync(job, target);
    }

    public async Task RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var target = await DispatchTarget.LoadAsync(database, job.SubjectId, ct);
        if (target is null)
        {
            LogMissingAction(logger, job.Id, job.SubjectId);
            await database.WriteAsync((c, t) => jobs.CompleteAsync(c, t, job), CancellationToken.None);
            return;
        }

        // INVARIANT: a call that may already have reached the provider is sent again only when that cannot do it twice.
        if (job.StartedBefore > 0 && !target.SafeToRepeat)
        {
            await writer.RecordUnknownAsync(job, target);
            LogOutcomeUnknown(logger, target.ActionRequestId, target.ActionType);
            return;
        }

        if (job.StartedBefore >= MaxStarts)
        {
            await writer.CompleteAsync(job, target, GaveUp(target, job));
            return;
        }

        // The kill switch also stops what waits for a retry or a restart: the freeze is read when the job runs. (The inline
        // path needs no read: the request or approval that holds the job has just checked it.)
        if (await Freeze.FreezeReader.ReasonAsync(database, target.AgentId, ct) is { } frozen)
        {
            await writer.CompleteAsync(job, target, Failed(target, $"{target.ActionType} was not sent: {frozen}", "agent_frozen"));
            return;
        }

        await SendAsync(job, target);
    }

    // Never the caller's token: once sent, a call's result is recorded even if whoever asked has gone.
    private async Task<string?> SendAsync(ClaimedJob job, DispatchTarget target)
    {
        // SECURITY: what goes out must be what the approver approved; a payload changed in storage since is refused.
        if (target.ApprovedDigest is { } approved
            && ArgumentsDigest.Of(target.ActionType, target.Provider, target.ResourceType, target.ResourceId, target.Payload) != approved)
        {
            LogDigestMismatch(logger, target.ActionRequestId, target.ActionType);
            return await writer.CompleteAsync(job, target, Failed(target,
                $"{target.ActionType} was not sent: its arguments no longer match the digest the approver approved", ArgumentsDigest.MismatchCode));
        }

        using var payload = JsonDocument.Parse(target.Payload);
        ConnectorResult result;
        using (var call = ToolCall.Start(target.ActionType, target.Provider, target.AgentId, target.AgentName, target.ActionRequestId))
        {
            call.CapturePayload(telemetry, payload.RootElement);
            result = call.Finish(await dispatcher.DispatchAsync(target.ConnectorMode, target.WorkspaceId, target.AgentId, target.ActionRequestId,
                target.ActionType, target.Provider, payload.RootElement, CancellationToken.None, target.CredentialId));
        }

        return await writer.CompleteAsync(job, target, result);
    }

    private static ConnectorResult GaveUp(DispatchTarget target, ClaimedJob job) => Failed(target,
        $"{target.ActionType} was started {job.StartedBefore} times without a recorded result; it is not sent again", "dispatch_abandoned");

    /// <summary>A result recorded without calling the provider.</summary>
    private static ConnectorResult Failed(DispatchTarget target, string message, string code)
    {
        var now = DateTimeOffset.UtcNow;
        return new ConnectorResult(false, null, new ConnectorError(message, null, code, null), 0, target.Simulated, now, now);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Action request {ActionRequestId} ({ActionType}) was not sent: its stored arguments do not match the approved digest")]
    private static partial void LogDigestMismatch(ILogger logger, string actionRequestId, string actionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch job {JobId} names action request {ActionRequestId}, which does not exist")]
    private static partial void LogMissingAction(ILogger logger, string jobId, string actionRequestId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Action request {ActionRequestId} ({ActionType}) was in flight when its server stopped; its outcome is unknown and needs reconciling")]
    private static partial void LogOutcomeUnknown(ILogger logger, string actionRequestId, string actionType);
}
