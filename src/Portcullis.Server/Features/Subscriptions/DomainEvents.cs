using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// The <c>data</c> of each event type, built inside the change's transaction and only when a subscription wants it. Each is
/// the object as the API already shows it: never a secret (credentials appear as their masked metadata only).
/// </summary>
public static class DomainEvents
{
    /// <summary><c>action.decided</c>: the agent's answer, with the request it answers (payload as the timeline shows it).</summary>
    public static Task ActionDecidedAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, DecidedAction a, string answer) =>
        outbox.EnqueueAsync(c, t, a.WorkspaceId, EventTypes.ActionDecided, a.Id, () =>
        {
            var data = JsonNode.Parse(answer)!.AsObject();
            var input = a.Input;
            data["runId"] = input.RunId;
            data["agentId"] = a.AgentId;
            data["actionType"] = input.ActionType;
            data["provider"] = input.Provider;
            data["resourceType"] = input.ResourceType;
            data["resourceId"] = input.ResourceId;
            data["source"] = input.Source;
            data["payload"] = JsonNode.Parse(input.PayloadJson);
            data["createdAt"] = Times.ToIso(a.CreatedAt);
            return Task.FromResult<object?>(data);
        }, a.SubscribedEventTypes);

    /// <summary><c>action.executed</c>, <c>action.failed</c> or <c>action.outcome_unknown</c>: the execution as the answer carries it.</summary>
    public static Task ActionSettledAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, string workspaceId, string runId,
        string actionRequestId, string type, object execution, string? subscribedTypes = null) =>
        outbox.EnqueueAsync(c, t, workspaceId, type, actionRequestId, new { actionRequestId, runId, execution }, subscribedTypes);

    /// <summary><c>approval.requested</c> / <c>approval.decided</c>: the approval as <c>GET /api/approvals/{id}</c> shows it to the agent.</summary>
    public static Task ApprovalAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, string workspaceId, string approvalId, string type) =>
        outbox.EnqueueAsync(c, t, workspaceId, type, approvalId,
            async () => (await ApprovalQueries.FindAsync(c, approvalId, workspaceId, t))?.ToDto());

    /// <summary><c>run.started</c> / <c>run.ended</c>: the run as <c>GET /api/runs/{id}</c> shows it.</summary>
    public static Task RunAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, string workspaceId, string runId, string type) =>
        outbox.EnqueueAsync(c, t, workspaceId, type, runId, async () =>
            (await c.QueryFirstOrDefaultAsync<RunRow>($"SELECT {RunRow.Columns} FROM runs WHERE id = @runId", new { runId }, t))?.ToDto());

    /// <summary>
    /// <c>workflow.run.completed</c> / <c>workflow.run.failed</c> (a cancelled run sends neither): the workflow run as its API
    /// shows it, without the steps.
    /// </summary>
    public static Task WorkflowRunEndedAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, Workflows.Runs.WorkflowRunRow run, string status,
        Workflows.Runs.WorkflowError? error, long now)
    {
        var type = status switch
        {
            Workflows.Runs.WorkflowRunStatus.Completed => EventTypes.WorkflowRunCompleted,
            Workflows.Runs.WorkflowRunStatus.Failed => EventTypes.WorkflowRunFailed,
            _ => null,
        };
        return type is null
            ? Task.CompletedTask
            : outbox.EnqueueAsync(c, t, run.WorkspaceId, type, run.Id, new
            {
                id = run.Id,
                run.WorkflowId,
                run.Version,
                run.RunId,
                run.AgentId,
                status,
                run.Trigger,
                input = JsonNode.Parse(run.Input),
                error,
                createdAt = Times.ToIso(run.CreatedAt),
                completedAt = Times.ToIso(now),
            });
    }

    /// <summary><c>credential.needs_reconnect</c>: the credential's metadata as its API shows it; SECURITY: only the masked hint, never a secret.</summary>
    public static Task CredentialAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, string workspaceId, string credentialId, string type) =>
        outbox.EnqueueAsync(c, t, workspaceId, type, credentialId, async () =>
        {
            var row = await c.QueryFirstOrDefaultAsync<Credentials.CredentialRow>(
                $"SELECT {Credentials.CredentialRow.Columns} FROM credentials WHERE id = @credentialId AND workspace_id = @workspaceId",
                new { credentialId, workspaceId }, t);
            var links = await c.QueryAsync<string>(
                "SELECT agent_id FROM credential_links WHERE credential_id = @credentialId AND workspace_id = @workspaceId ORDER BY created_at",
                new { credentialId, workspaceId }, t);
            return row?.ToDto(links.AsList());
        });

    /// <summary><c>policy.changed</c>: which policy, how (<c>created</c>, <c>updated</c>, <c>deleted</c>), and the policy as its API shows it.</summary>
    public static Task PolicyChangedAsync(this EventOutbox outbox, DbConnection c, DbTransaction t, string workspaceId, string policyId, string change,
        Policies.PolicyDto? policy) =>
        outbox.EnqueueAsync(c, t, workspaceId, EventTypes.PolicyChanged, policyId, () => Task.FromResult<object?>(new { policyId, change, policy }));
}
