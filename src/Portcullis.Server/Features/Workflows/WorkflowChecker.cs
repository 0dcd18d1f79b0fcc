using System.Text.Json;
using System.Text.Json.Nodes;
using Cronos;
using Portcullis.Connectors;
using Portcullis.Policies;
using Portcullis.Server.Features.Workflows.Templates;

namespace Portcullis.Server.Features.Workflows;

/// <summary>A credential linked to the workflow's agent.</summary>
public sealed record LinkedCredential(string Id, string Provider);

/// <summary>
/// Everything a workflow definition can be checked for before it runs: step ids, action types and providers, inputs
/// against the action's schema, templates and the variables they name, <c>when</c> conditions, credentials, the schedule.
/// Pure: the caller passes the credentials linked to the agent.
/// </summary>
public static class WorkflowChecker
{
    public static IReadOnlyList<WorkflowDiagnostic> Check(WorkflowDefinition definition, IReadOnlyList<LinkedCredential> linked)
    {
        var diagnostics = new List<WorkflowDiagnostic>();
        CheckTrigger(definition.Trigger, diagnostics);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            var path = $"steps[{i}]";
            if (!seen.Add(step.Id))
            {
                diagnostics.Add(new(WorkflowDiagnosticCodes.DuplicateStepId, $"step id `{step.Id}` is used twice", $"{path}.id"));
            }

            var provider = CheckActionType(step, path, diagnostics);
            CheckCredential(step, provider, linked, path, diagnostics);
            CheckTemplates(step.Input, $"{path}.input", definition, i, diagnostics);
            CheckSchema(step, path, diagnostics);
            CheckWhen(step, path, definition, i, diagnostics);
        }

        return diagnostics;
    }

    private static void CheckTrigger(WorkflowTrigger trigger, List<WorkflowDiagnostic> diagnostics)
    {
        if (trigger.Type != TriggerTypes.Schedule)
        {
            return;
        }

        if (!CronExpression.TryParse(trigger.Cron ?? "", CronFormat.Standard, out _))
        {
            diagnostics.Add(new(WorkflowDiagnosticCodes.InvalidCron,
                $"`{trigger.Cron}` is not a cron expression of five fields (minute hour day-of-month month day-of-week)", "trigger.cron"));
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(trigger.TimeZone ?? "UTC", out _))
        {
            diagnostics.Add(new(WorkflowDiagnosticCodes.InvalidTimeZone, $"`{trigger.TimeZone}` is not an IANA time zone such as `Europe/Paris`",
                "trigger.timeZone"));
        }
    }

    /// <summary>The provider that will execute the step (null for a custom action type).</summary>
    private static string? CheckActionType(WorkflowStep step, string path, List<WorkflowDiagnostic> diagnostics)
    {
        if (ActionCatalog.TryGetProvider(step.ActionType, out var provider))
        {
            if (step.Provider is not null && step.Provider != provider)
            {
                diagnostics.Add(new(WorkflowDiagnosticCodes.WrongProvider, $"`{step.ActionType}` is executed by `{provider}`, not `{step.Provider}`",
                    $"{path}.provider"));
            }

            return provider;
        }

        if (step.Provider is not null && ActionCatalog.Providers.Contains(step.Provider))
        {
            diagnostics.Add(new(WorkflowDiagnosticCodes.UnknownActionType, $"`{step.Provider}` has no action `{step.ActionType}`; it has "
                + string.Join(", ", ActionCatalog.ActionsOf(step.Provider).Select(a => $"`{a}`")), $"{path}.actionType"));
        }
        else if (ActionTypes.Closest(step.ActionType) is { } guess)
        {
            diagnostics.Add(new(WorkflowDiagnosticCodes.UnknownActionType,
                $"`{step.ActionType}` is not a built-in action; did you mean `{guess}`? (a custom action type is decided and recorded, never executed)",
                $"{path}.actionType"));
        }

        return null;
    }

    private static void CheckCredential(WorkflowStep step, string? provider, IReadOnlyList<LinkedCredential> linked, string path,
        List<WorkflowDiagnostic> diagnostics)
    {
        if (step.CredentialId is not { } id)
        {
            return;
        }

        var credential = linked.FirstOrDefault(c => c.Id == id);
        if (credential is null || (provider is not null && credential.Provider != provider))
        {
            diagnostics.Add(new(WorkflowDiagnosticCodes.CredentialNotLinked, provider is null
                ? $"credential `{id}` is not linked to this agent"
                : $"credential `{id}` is not a {provider} credential linked to this agent", $"{path}.credentialId"));
        }
    }

    private static void CheckTemplates(JsonNode? node, string field, WorkflowDefinition definition, int position, List<WorkflowDiagnostic> diagnostics)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    CheckTemplates(child, $"{field}.{name}", definition, position, diagnostics);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckTemplates(array[i], $"{field}[{i}]", definition, position, diagnostics);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var template = TemplateParser.Parse(value.GetValue<string>());
                diagnostics.AddRange(template.Diagnostics.Select(d => new WorkflowDiagnostic(d.Code, d.Message, field, d.Line, d.Column)));
                foreach (var reference in template.References)
                {
                    if (Variables.Check(reference.Steps, reference.Path, definition, position) is { } problem)
                    {
                        diagnostics.Add(new(problem.Code, problem.Message, field, reference.Line, reference.Column));
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The input against the action's schema, as far as it is known before the run: a value that is one whole template can
    /// resolve to any type, so the schema's complaints about it (or below it) wait for the run.
    /// </summary>
    private static void CheckSchema(WorkflowStep step, string path, List<WorkflowDiagnostic> diagnostics)
    {
        using var payload = JsonDocument.Parse(step.Input.ToJsonString());
        var templated = WholeTemplatePaths(step.Input, "payload").ToList();
        foreach (var error in ActionCatalog.Validate(step.ActionType, payload.RootElement))
        {
            if (!templated.Any(t => error.Field == t || error.Field.StartsWith(t + ".", StringComparison.Ordinal) || error.Field.StartsWith(t + "[", StringComparison.Ordinal)))
            {
                var below = error.Field.StartsWith("payload", StringComparison.Ordinal) ? error.Field["payload".Length..] : "." + error.Field;
                diagnostics.Add(new(WorkflowDiagnosticCodes.InvalidInput, $"input{below} {error.Message}", $"{path}.input{below}"));
            }
        }
    }

    private static IEnumerable<string> WholeTemplatePaths(JsonNode? node, string field) => node switch
    {
        JsonObject obj => obj.SelectMany(p => WholeTemplatePaths(p.Value, $"{field}.{p.Key}")),
        JsonArray array => array.SelectMany((item, i) => WholeTemplatePaths(item, $"{field}[{i}]")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && TemplateParser.Parse(v.GetValue<string>()).IsSingleReference => [field],
        _ => [],
    };

    private static void CheckWhen(WorkflowStep step, string path, WorkflowDefinition definition, int position, List<WorkflowDiagnostic> diagnostics)
    {
        if (step.When is not { } when)
        {
            return;
        }

        var parsed = PolicyCondition.Parse(when, ConditionScope.WorkflowStep);
        diagnostics.AddRange(parsed.Diagnostics.Select(d => new WorkflowDiagnostic(WorkflowDiagnosticCodes.InvalidWhen, d.Message, $"{path}.when", d.Line, d.Column)));
        foreach (var (message, offset) in Variables.CheckWhenSteps(when, definition, position))
        {
            var (line, column) = TemplateParser.Position(when, offset);
            diagnostics.Add(new(WorkflowDiagnosticCodes.LaterStep, message, $"{path}.when", line, column));
        }
    }
}
