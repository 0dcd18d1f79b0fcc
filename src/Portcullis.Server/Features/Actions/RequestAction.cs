using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Policies;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// <c>POST /api/actions/request</c>: validate, decide by policy, record, and (when allowed) execute
/// through the connector, answering as the spec shapes it.
/// </summary>
public static class RequestAction
{
    // The body's shape for the OpenAPI document; ActionRequestInput reads the body field by field.
    public sealed record Request(
        string RunId, string ActionType, IReadOnlyDictionary<string, JsonElement> Payload, string? Provider = null, string? ResourceType = null,
        string? ResourceId = null, IReadOnlyDictionary<string, JsonElement>? Evidence = null, string? IdempotencyKey = null, string? CallbackUrl = null,
        string? AgentKey = null);

    public static async Task<IResult> Handle(HttpContext http, IOptions<LimitsOptions> limits, Database database,
        PolicyCache policies, VelocityReader velocity, ActionRecorder recorder, ActionDispatcher dispatcher, Timeline timeline, TimeProvider time)
    {
        var ct = http.RequestAborted;
        var agent = http.GetAgent();
        var errors = new FieldErrors();
        var input = ActionRequestInput.Read(http.GetAgentBody(), http.Request.Headers["Idempotency-Key"].ToString(), limits.Value, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        var run = await RunContext.FindAsync(database, input.RunId, agent.AgentId, ct);
        if (run is null)
        {
            return Problems.NotFound($"run `{input.RunId}`");
        }

        if (!RunStatus.IsOpen(run.Status))
        {
            return Problems.Conflict($"run `{input.RunId}` has ended with status `{run.Status}`", ErrorCodes.RunEnded);
        }

        if (input.PayloadErrors.Count > 0)
        {
            return await RefuseInvalidPayloadAsync(database, timeline, agent, input, ct);
        }

        if (input.IdempotencyKey is not null && await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct) is { } replay)
        {
            return replay;
        }

        var context = new ActionContext
        {
            ActionType = input.ActionType, Provider = input.Provider, ResourceType = input.ResourceType, ResourceId = input.ResourceId,
            Payload = input.Payload, Evidence = input.Evidence, AgentId = agent.AgentId, AgentName = agent.AgentName,
            AgentVersion = run.AgentVersion, RunTriggerType = run.TriggerType, RunExternalRef = run.ExternalRef,
        };
        var set = await policies.GetAsync(agent.WorkspaceId, agent.Workspace.PolicyRevision, ct);
        var now = time.Now();
        var velocityValues = await velocity.ReadAsync(set.VelocityQueriesFor(context), agent.WorkspaceId, agent.AgentId, now, ct);
        PolicyDecisions.TryParse(agent.Workspace.DefaultDecision, out var defaultDecision);
        var evaluation = set.Evaluate(context, defaultDecision, velocityValues);

        var decided = new DecidedAction(Ids.New("act", time), agent.WorkspaceId, agent.AgentId, input, evaluation, now,
            now + (agent.Workspace.ApprovalExpirySeconds * 1000));
        var demo = decided.Dispatches && agent.Workspace.ConnectorMode == ActionDispatcher.DemoMode;
        var recorded = demo
            ? await recorder.RecordDecisionWithExecutionAsync(decided, dispatcher.Simulate(decided.Id, input.ActionType, input.Provider!, input.Payload), ct)
            : await recorder.RecordDecisionAsync(decided, ct);
        switch (recorded.Outcome)
        {
            case ActionRecorder.Outcome.RunNotFound:
                return Problems.NotFound($"run `{input.RunId}`");
            case ActionRecorder.Outcome.RunEnded:
                return Problems.Conflict($"run `{input.RunId}` has ended", ErrorCodes.RunEnded);
            case ActionRecorder.Outcome.Duplicate:
                return await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct)
                    ?? Problems.Conflict("a request with this idempotency key is still being processed; retry shortly");
        }

        if (!decided.Dispatches || demo)
        {
            return Json(recorded.AnswerJson!);
        }

        // The connector call is outside every transaction and must not be cancelled half-way by a client
        // that hangs up: the decision is recorded, so the execution is recorded too.
        var result = await dispatcher.DispatchAsync(agent.Workspace.ConnectorMode, agent.WorkspaceId, agent.AgentId, decided.Id,
            input.ActionType, input.Provider!, input.Payload, CancellationToken.None);
        string? answer = null;
        await recorder.RecordExecutionAsync(agent.WorkspaceId, input.RunId, decided.Id, input.ActionType, input.Provider!, result,
            execution => answer = decided.Answer(execution: execution).Serialize(), CancellationToken.None);
        return Json(answer!);
    }

    internal static IResult Json(string json) => Results.Content(json, "application/json", System.Text.Encoding.UTF8, 200);

    private static async Task<IResult> RefuseInvalidPayloadAsync(Database database, Timeline timeline, AgentIdentity agent, ActionRequestInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        foreach (var e in input.PayloadErrors)
        {
            errors.Add(e.Field, e.Message);
        }

        await database.WriteAsync((c, t) => timeline.AppendSystemAsync(c, t, agent.WorkspaceId, input.RunId, "action.invalid", new
        {
            actionType = input.ActionType, provider = input.Provider, errors = errors.ToDictionary(),
        }), ct);
        return Problems.Validation(errors);
    }
}
