using System.Text.Json;
using Dapper;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Edits;

/// <summary>
/// Checks an approver's edited payload the way the original request was checked: the action's schema, then the policies
/// (through <see cref="ActionDecider"/>, as the agent that asked) over the request with the new payload. Nothing is written:
/// <see cref="ApprovalDecider"/> records the edit with the decision.
/// </summary>
public sealed class EditChecker(Database database, ActionDecider decider, WorkspaceStore workspaces, TimeProvider time)
{
    /// <summary>The held request as the policies saw it, and whether its approval may be edited.</summary>
    private sealed class Held
    {
        public string Status { get; init; } = "";
        public bool AllowEdit { get; init; }
        public string RunId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string? AgentFrozenReason { get; init; }
        public string ActionType { get; init; } = "";
        public string? Provider { get; init; }
        public string? ResourceType { get; init; }
        public string? ResourceId { get; init; }
        public string? Evidence { get; init; }
        public string? Context { get; init; }
        public string Source { get; init; } = ActionSource.Rest;
    }

    public async Task<EditCheck> CheckAsync(string workspaceId, string approvalId, JsonElement payload, CancellationToken ct)
    {
        var held = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<Held>(
            """
            SELECT a.status AS Status, a.allow_edit AS AllowEdit, r.run_id AS RunId, r.agent_id AS AgentId, g.name AS AgentName,
                   g.frozen_reason AS AgentFrozenReason, r.action_type AS ActionType, r.provider AS Provider, r.resource_type AS ResourceType,
                   r.resource_id AS ResourceId, r.evidence AS Evidence, r.context AS Context, r.source AS Source
            FROM approvals a JOIN action_requests r ON r.id = a.action_request_id JOIN agents g ON g.id = a.agent_id
            WHERE a.id = @approvalId AND a.workspace_id = @workspaceId
            """, new { approvalId, workspaceId }), ct);
        if (held is null)
        {
            return new EditCheck.NotFound();
        }

        if (!held.AllowEdit)
        {
            return new EditCheck.NotAllowed();
        }

        if (held.Status != ApprovalStatus.Pending)
        {
            return new EditCheck.Closed(held.Status);
        }

        var workspace = (await workspaces.FindAsync(workspaceId, ct))!;
        var agent = new AgentIdentity("", held.AgentId, held.AgentName, workspaceId, workspace, held.AgentFrozenReason);
        return await EvaluateAsync(new RequestActionCommand(agent, InputOf(held, payload)), ct);
    }

    private async Task<EditCheck> EvaluateAsync(RequestActionCommand command, CancellationToken ct)
    {
        var (run, refusal) = await decider.PreflightAsync(command, recording: false, ct);
        switch (refusal)
        {
            case RequestActionResult.InvalidPayload invalid:
                return new EditCheck.Invalid(invalid.Errors);
            case RequestActionResult.RunEnded ended:
                return new EditCheck.Closed($"run {ended.Status}");
            case not null:
                return new EditCheck.NotFound();
        }

        var sets = await decider.PoliciesAsync(command.Agent, ct);
        var context = ActionDecider.ContextOf(command, run!);
        var now = time.Now();
        var values = ActionDecider.NeedsVelocity(command.Agent, sets)
            ? await database.ReadAsync(c => decider.VelocityAsync(c, null, sets, context, command.Agent, now), ct)
            : null;
        var evaluation = ActionDecider.Evaluate(command.Agent, sets.Enforced, context, values);
        if (evaluation.Decision == PolicyDecision.Block)
        {
            var blocking = evaluation.Matched.Where(m => m.Decision == PolicyDecision.Block).Select(m => m.Name).ToList();
            return new EditCheck.Blocked(evaluation.Reason, blocking);
        }

        var input = command.Input;
        var digest = ArgumentsDigest.Of(input.ActionType, input.Provider, input.ResourceType, input.ResourceId, input.Payload);
        return new EditCheck.Accepted(new ApprovalEdit(input.PayloadJson, digest, sets.Revision));
    }

    /// <summary>The original request with the edited payload: evidence, context and transport as the agent sent them.</summary>
    private static ActionRequestInput InputOf(Held held, JsonElement payload)
    {
        var errors = new FieldErrors();
        return ActionRequestInput.Create(new ActionRequestInput.Fields(
            held.RunId, held.ActionType, held.Provider, held.ResourceType, held.ResourceId, (payload, payload.GetRawText()),
            Element(held.Evidence), Context: Element(held.Context)), held.Source, errors);
    }

    private static (JsonElement Element, string Text)? Element(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return (document.RootElement.Clone(), json);
    }
}
