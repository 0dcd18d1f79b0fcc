using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// The body of <c>POST /api/agents/{id}/workflows</c> and <c>PUT /api/workflows/{id}</c>, read field by field into a
/// <see cref="WorkflowDefinition"/>: shape errors (missing, wrong type, too long) go to the field errors; what the
/// definition means is <see cref="WorkflowChecker"/>'s to judge.
/// </summary>
public static partial class WorkflowInput
{
    public const int MaxSteps = 50;
    public const int MaxInputBytes = 64 * 1024;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    public static partial Regex StepIdPattern();

    public static WorkflowDefinition? Read(JsonElement body, FieldErrors errors)
    {
        var f = new JsonFields(body, errors);
        var name = f.String("name", required: true, maxLength: 200);
        var description = f.String("description", maxLength: 2000);
        var trigger = ReadTrigger(f, errors);
        var stepsArray = f.Array("steps", required: true);
        var steps = new List<WorkflowStep>();
        if (stepsArray is { } array)
        {
            if (array.GetArrayLength() is 0 or > MaxSteps)
            {
                errors.Add("steps", $"must hold 1 to {MaxSteps} steps");
            }

            var i = 0;
            foreach (var element in array.EnumerateArray().Take(MaxSteps))
            {
                if (ReadStep(element, $"steps[{i++}]", errors) is { } step)
                {
                    steps.Add(step);
                }
            }
        }

        return errors.Any ? null : new WorkflowDefinition(name!.Trim(), description, trigger!, steps);
    }

    private static WorkflowTrigger? ReadTrigger(JsonFields f, FieldErrors errors)
    {
        if (f.Object("trigger") is not { } element)
        {
            return new WorkflowTrigger(TriggerTypes.Api);
        }

        var t = new JsonFields(element, errors, "trigger");
        var type = t.OneOf("type", TriggerTypes.All, required: true);
        var cron = t.String("cron", maxLength: 128);
        var timeZone = t.String("timeZone", maxLength: 64);
        var signed = t.Boolean("signed");
        if (type == TriggerTypes.Schedule && cron is null)
        {
            errors.Add("trigger.cron", "is required for a schedule trigger");
        }

        return type is null ? null : new WorkflowTrigger(type, type == TriggerTypes.Schedule ? cron : null,
            type == TriggerTypes.Schedule ? timeZone ?? "UTC" : null, type == TriggerTypes.Webhook && signed == true ? true : null);
    }

    private static WorkflowStep? ReadStep(JsonElement element, string path, FieldErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return null;
        }

        var s = new JsonFields(element, errors, path);
        var id = s.String("id", required: true, maxLength: 64);
        var name = s.String("name", maxLength: 200);
        var actionType = s.String("actionType", required: true, maxLength: 128);
        var provider = s.String("provider", maxLength: 64);
        var credentialId = s.String("credentialId", maxLength: 64);
        var input = s.ObjectWithText("input", maxBytes: MaxInputBytes);
        var when = s.String("when", maxLength: 4096);
        if (id is not null && !StepIdPattern().IsMatch(id))
        {
            errors.Add($"{path}.id", "must match [a-z][a-z0-9_]* (at most 64 characters)");
        }

        if (id is null || actionType is null || errors.Has($"{path}.id") || errors.Has($"{path}.input"))
        {
            return null;
        }

        var inputObject = input is { } i ? JsonNode.Parse(i.Text)!.AsObject() : [];
        return new WorkflowStep(id, string.IsNullOrWhiteSpace(name) ? id : name.Trim(), actionType, provider, credentialId, inputObject,
            string.IsNullOrWhiteSpace(when) ? null : when);
    }
}
