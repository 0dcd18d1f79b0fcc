using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions.Dispatch;

/// <summary>An execution's row, its answer form, and its timeline and audit JSON, all made before the transaction.</summary>
public sealed record ExecutionRecord(ExecutionRow Row, ExecutionDto Dto, string TimelineJson, string AuditJson)
{
    public string TimelineEvent => Row.Status switch
    {
        ActionStatus.Executed => "action.executed",
        ActionStatus.Unknown => "action.outcome_unknown",
        _ => "action.failed",
    };
}

/// <summary>Builds and writes execution rows: the one place that knows an execution's shape in storage and on the timeline.</summary>
public sealed class ExecutionRecords(Timeline timeline, AuditTrail audit, EventOutbox events, TimeProvider time)
{
    public ExecutionRecord Of(string provider, string actionType, string actionRequestId, ConnectorResult result) => Of(actionRequestId, new ExecutionRow
    {
        Id = Ids.New("exe", time),
        Provider = provider,
        ActionType = actionType,
        Status = result.Succeeded ? ActionStatus.Executed : ActionStatus.Failed,
        Attempts = result.Attempts,
        Simulated = result.Simulated,
        StartedAt = result.StartedAt.ToUnixTimeMilliseconds(),
        CompletedAt = result.CompletedAt.ToUnixTimeMilliseconds(),
        Error = result.Error is { } e
            ? JsonSerializer.Serialize(new ExecutionErrorDto(e.ProviderCode, e.Message, e.ProviderStatus, e.ProviderRequestId))
            : null,
        ResponsePayload = result.ResponsePayload?.GetRawText(),
    });

    public ExecutionRecord Of(string actionRequestId, ExecutionRow row)
    {
        var dto = row.ToDto();
        return new(row, dto,
            Timeline.Serialize(new { actionRequestId, execution = dto }),
            AuditEntry.Json(new { executionId = row.Id, provider = row.Provider, actionType = row.ActionType, row.Status, row.Simulated, row.Attempts }));
    }

    /// <summary>
    /// Writes the execution (replacing an earlier one of the same action: an operator's retry of an unknown outcome), its
    /// timeline entry and its audit entry, inside the caller's transaction.
    /// </summary>
    public Task WriteAsync(DbConnection c, DbTransaction t, string workspaceId, string runId, string actionRequestId, ExecutionRecord execution) =>
        WriteAsync(c, t, workspaceId, runId, actionRequestId, execution, held: false, subscribedTypes: null, timelineWritten: false);

    /// <summary>
    /// Writes a demo execution in the transaction that records its decision. Nothing in that transaction reads the row
    /// back (a callback or approval read would: <see cref="WriteAsync(DbConnection, DbTransaction, string, string, string, ExecutionRecord)"/>),
    /// so on PostgreSQL it rides with the commit; the subscribed event types are those the request's key lookup read.
    /// </summary>
    /// <param name="timelineWritten">The caller wrote the execution's timeline entry with the decision's.</param>
    public Task WriteWithDecisionAsync(DbConnection c, DbTransaction t, DecidedAction action, ExecutionRecord execution, bool timelineWritten) =>
        WriteAsync(c, t, action.WorkspaceId, action.Input.RunId, action.Id, execution, held: true, action.SubscribedEventTypes, timelineWritten);

    private async Task WriteAsync(DbConnection c, DbTransaction t, string workspaceId, string runId, string actionRequestId, ExecutionRecord execution,
        bool held, string? subscribedTypes, bool timelineWritten)
    {
        var row = execution.Row;
        const string Sql =
            """
            INSERT INTO executions (id, workspace_id, action_request_id, provider, action_type, status, attempts, simulated, started_at, completed_at, error, response_payload)
            VALUES (@id, @workspaceId, @actionRequestId, @provider, @actionType, @status, @attempts, @simulated, @startedAt, @completedAt, @error, @responsePayload)
            ON CONFLICT (action_request_id) DO UPDATE SET id = excluded.id, status = excluded.status, attempts = excluded.attempts,
                simulated = excluded.simulated, started_at = excluded.started_at, completed_at = excluded.completed_at, error = excluded.error,
                response_payload = excluded.response_payload
            """;
        (string, object?)[] args =
        [
            ("id", row.Id), ("workspaceId", workspaceId), ("actionRequestId", actionRequestId), ("provider", row.Provider), ("actionType", row.ActionType),
            ("status", row.Status), ("attempts", row.Attempts), ("simulated", row.Simulated), ("startedAt", row.StartedAt), ("completedAt", row.CompletedAt),
            ("error", row.Error), ("responsePayload", row.ResponsePayload),
        ];
        await (held ? PipelinedWrites.ExecuteAsync(c, t, Sql, args) : PreparedSql.ExecuteAsync(c, t, Sql, args));
        if (!timelineWritten)
        {
            await timeline.AppendSystemJsonAsync(c, t, workspaceId, runId, execution.TimelineEvent, execution.TimelineJson);
        }

        await audit.AppendJsonAsync(c, t, workspaceId, Actor.System, execution.TimelineEvent, "action_request", actionRequestId, execution.AuditJson);
        await events.ActionSettledAsync(c, t, workspaceId, runId, actionRequestId, execution.TimelineEvent, execution.Dto, subscribedTypes);
    }

    /// <summary>
    /// The stored answer an idempotent retry replays — the decision as first answered (with its approvalRequestId, if
    /// any) — now carrying <paramref name="execution"/>.
    /// </summary>
    public static string WithExecution(string decisionAnswer, object execution)
    {
        var answer = JsonNode.Parse(decisionAnswer)!.AsObject();
        answer["execution"] = JsonSerializer.SerializeToNode(execution, ActionAnswer.Json);
        return answer.ToJsonString(ActionAnswer.Json);
    }
}
