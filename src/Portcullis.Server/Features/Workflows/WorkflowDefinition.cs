using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Portcullis.Server.Features.Workflows;

/// <summary>Trigger types.</summary>
public static class TriggerTypes
{
    public const string Api = "api";
    public const string Schedule = "schedule";
    public const string Webhook = "webhook";

    public static readonly string[] All = [Api, Schedule, Webhook];
}

/// <summary>
/// What starts a workflow: <c>api</c> (and manual runs), a cron <c>schedule</c>, or a secret <c>webhook</c> URL, whose calls
/// must also carry an HMAC signature when <see cref="Signed"/>.
/// </summary>
public sealed record WorkflowTrigger(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cron = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TimeZone = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Signed = null);

/// <summary>One step: an action request whose input strings may hold templates, skipped when <see cref="When"/> is false.</summary>
public sealed record WorkflowStep(
    string Id,
    string Name,
    string ActionType,
    string? Provider,
    string? CredentialId,
    JsonObject Input,
    string? When);

/// <summary>A workflow version as stored: the whole definition, immutable once saved.</summary>
public sealed record WorkflowDefinition(string Name, string? Description, WorkflowTrigger Trigger, IReadOnlyList<WorkflowStep> Steps)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static WorkflowDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(json, Json) ?? throw new JsonException("a stored workflow definition is null");

    public int IndexOf(string stepId)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i].Id == stepId)
            {
                return i;
            }
        }

        return -1;
    }
}
