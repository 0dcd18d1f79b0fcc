using System.Text.Json;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.HubSpot;

internal sealed record CrmCreate(string ObjectType, IReadOnlyDictionary<string, string?> Properties);

internal sealed record CrmUpdate(string ObjectType, string RecordId, IReadOnlyDictionary<string, string?> Properties);

internal sealed record CrmGet(string ObjectType, string RecordId, IReadOnlyList<string> Properties);

/// <summary>HubSpot CRM v3 payload schemas.</summary>
internal static class HubSpotActions
{
    public const string CreateType = "crm.create_record";
    public const string UpdateType = "crm.update_record";
    public const string GetActionType = "crm.get_record";

    public static readonly string[] ObjectTypes = ["contacts", "companies", "deals", "tickets"];

    public static readonly ActionDefinition[] Definitions =
    [
        new(CreateType, ProviderNames.HubSpot, ParseCreate),
        new(UpdateType, ProviderNames.HubSpot, ParseUpdate),
        new(GetActionType, ProviderNames.HubSpot, ParseGet),
    ];

    private static ParsedPayload ParseCreate(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["objectType", "properties"]);
        var objectType = v.OneOf("objectType", required: true, ObjectTypes);
        var properties = Properties(v);
        return ParsedPayload.From(v, () => new CrmCreate(objectType!, properties!));
    }

    private static ParsedPayload ParseUpdate(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["objectType", "recordId", "properties"]);
        var objectType = v.OneOf("objectType", required: true, ObjectTypes);
        var recordId = v.String("recordId", required: true, singleLine: true, maxLength: 100);
        var properties = Properties(v);
        return ParsedPayload.From(v, () => new CrmUpdate(objectType!, recordId!, properties!));
    }

    private static ParsedPayload ParseGet(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["objectType", "recordId", "properties"]);
        var objectType = v.OneOf("objectType", required: true, ObjectTypes);
        var recordId = v.String("recordId", required: true, singleLine: true, maxLength: 100);
        var properties = v.StringArray("properties", required: false,
            check: p => p.Length == 0 || p.Contains(',') ? "must be a property name" : null);
        return ParsedPayload.From(v, () => new CrmGet(objectType!, recordId!, properties ?? []));
    }

    // HubSpot stores every property value as a string; numbers and booleans are converted the way
    // HubSpot's own UI would write them, and null clears a property.
    private static Dictionary<string, string?>? Properties(PayloadValidator v)
    {
        if (v.Object("properties", required: true, nonEmpty: true) is not { } properties)
        {
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in properties.EnumerateObject())
        {
            var value = property.Value;
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => "\0",
            };
            if (text == "\0")
            {
                v.AddAt($"{v.PathOf("properties")}.{property.Name}", "must be a string, number, boolean or null");
                continue;
            }

            result[property.Name] = text;
        }

        return result;
    }
}
