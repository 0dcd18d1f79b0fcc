using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows;

/// <summary>Create a workflow for an agent (<see cref="AgentId"/>) or store a new version of one (<see cref="WorkflowId"/>).</summary>
public sealed record SaveWorkflowCommand(Member Actor, string? AgentId, string? WorkflowId, JsonElement Body);

public abstract record SaveWorkflowResult
{
    private SaveWorkflowResult()
    {
    }

    /// <summary>Stored; <paramref name="Workflow"/>'s trigger carries the webhook URL when this save made its token.</summary>
    public sealed record Saved(WorkflowDto Workflow, bool Created) : SaveWorkflowResult;

    public sealed record Invalid(FieldErrors Errors) : SaveWorkflowResult;

    /// <summary>The definition is well-formed JSON but wrong: every diagnostic, with field paths and template positions.</summary>
    public sealed record InvalidDefinition(IReadOnlyList<WorkflowDiagnostic> Diagnostics) : SaveWorkflowResult;

    public sealed record NotFound(string What) : SaveWorkflowResult;
}

/// <summary>Saving a workflow: the one use case behind the REST endpoints and the dashboard editor.</summary>
public sealed class SaveWorkflow(Database database, WorkflowStore store, AuditTrail audit, WebhookTokens webhooks, WorkflowSchedules schedules,
    TimeProvider time)
{
    public async Task<SaveWorkflowResult> ExecuteAsync(SaveWorkflowCommand command, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (command.Body.ValueKind != JsonValueKind.Object)
        {
            return new SaveWorkflowResult.Invalid(errors.Add("body", "must be a JSON object"));
        }

        var definition = WorkflowInput.Read(command.Body, errors);
        if (definition is null)
        {
            return new SaveWorkflowResult.Invalid(errors);
        }

        var workspaceId = command.Actor.WorkspaceId;
        var existing = command.WorkflowId is { } id ? await store.FindAsync(workspaceId, id, ct) : null;
        var agentId = existing?.AgentId ?? command.AgentId!;
        if (command.WorkflowId is not null && existing is null)
        {
            return new SaveWorkflowResult.NotFound($"workflow `{command.WorkflowId}`");
        }

        if (existing is null && !await store.AgentExistsAsync(workspaceId, agentId, ct))
        {
            return new SaveWorkflowResult.NotFound($"agent `{agentId}`");
        }

        var diagnostics = WorkflowChecker.Check(definition, await store.LinkedCredentialsAsync(workspaceId, agentId, ct));
        if (diagnostics.Count > 0)
        {
            return new SaveWorkflowResult.InvalidDefinition(diagnostics);
        }

        // A webhook URL is made when a workflow first gets a webhook trigger; its token is shown once, stored hashed.
        var wasWebhook = existing?.Parsed().Trigger.Type == TriggerTypes.Webhook;
        var token = definition.Trigger.Type == TriggerTypes.Webhook && !wasWebhook ? WebhookTokens.NewToken() : null;
        // A signing secret likewise, when a webhook first becomes signed: shown once, sealed by the vault.
        var wasSigned = wasWebhook && existing!.Parsed().Trigger.Signed == true;
        var signingSecret = definition.Trigger.Signed == true && !wasSigned ? WebhookTokens.NewSigningSecret() : null;
        var now = time.Now();
        var workflowId = existing?.Id ?? Ids.New("wf", time);
        await database.WriteAsync(async (c, t) =>
        {
            var version = existing is null
                ? await store.InsertAsync(c, t, workspaceId, agentId, workflowId, definition, now)
                : await store.AddVersionAsync(c, t, workflowId, definition, now);
            await store.WriteVersionAsync(c, t, workflowId, version, definition, command.Actor.UserId, now);
            await store.SetWebhookAsync(c, t, workflowId, definition.Trigger.Type, token is null ? null : webhooks.Hash(token), keep: token is null && wasWebhook);
            await store.SetSigningSecretAsync(c, t, workflowId, signingSecret is null ? null : webhooks.Seal(workflowId, signingSecret),
                keep: signingSecret is null && wasSigned && definition.Trigger.Signed == true);
            await schedules.ArmAsync(c, t, workspaceId, workflowId, definition.Trigger);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(command.Actor.UserId), existing is null ? "workflow.created" : "workflow.updated",
                "workflow", workflowId, new { definition.Name, version, trigger = definition.Trigger.Type, steps = definition.Steps.Count });
        }, ct);

        var saved = (await store.FindAsync(workspaceId, workflowId, ct))!;
        var shown = token is null && signingSecret is null ? null : new WebhookSecrets(token is null ? null : WebhookTokens.Path(workflowId, token), signingSecret);
        return new SaveWorkflowResult.Saved(saved.ToDto(shown), existing is null);
    }
}
