using System.Text.Json;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.HubSpot;

internal sealed record CrmCreate(string ObjectType, IReadOnlyDictionary<string, string?> Properties, System.Text.Json.Nodes.JsonArray? Associations = null);

internal sealed record CrmUpdate(string ObjectType, string RecordId, IReadOnlyDictionary<string, string?> Properties);

internal sealed record CrmGet(string ObjectType, string RecordId, IReadOnlyList<string> Properties);

/// <summary>HubSpot CRM v3 payload schemas.</summary>
internal static class HubSpotActions
{
    public const string CreateType = "crm.create_record";
    public const string UpdateType = "crm.update_record";
    public const string GetActionType = "crm.get_record";

    public static readonly string[] ObjectTypes = ["contacts", "companies", "deals", "tickets"];

    private static readonly StringSchema ObjectType = new() { Enum = ObjectTypes, Description = "The CRM object type." };
    private static readonly StringSchema RecordId = new() { SingleLine = true, MaxLength = 100, Description = "HubSpot record id." };

    private static readonly MapSchema Properties = new(new ScalarSchema())
    {
        NonEmpty = true,
        Description = "Property values by internal name; numbers and booleans are stored as HubSpot writes them, null clears a property.",
    };

    public static readonly ActionDescriptor[] Actions =
    [
        new(CreateType, "Create a CRM record.",
            new ObjectSchema().Required("objectType", ObjectType).Required("properties", Properties).Optional("associations", HubSpotSearch.Associations),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new CrmCreate(p.String("objectType")!, PropertyValues(p), HubSpotSearch.AssociationsOf(p))),
        // A PATCH of the same values leaves the record as one PATCH would.
        new(UpdateType, "Update properties of a CRM record.",
            new ObjectSchema().Required("objectType", ObjectType).Required("recordId", RecordId).Required("properties", Properties),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: true),
            p => new CrmUpdate(p.String("objectType")!, p.String("recordId")!, PropertyValues(p))),
        new(GetActionType, "Read a CRM record.",
            new ObjectSchema().Required("objectType", ObjectType).Required("recordId", RecordId)
                .Optional("properties", new ArraySchema(new StringSchema
                {
                    AllowEmpty = true,
                    Check = name => name.Length == 0 || name.Contains(',') ? "must be a property name" : null,
                    Pattern = "^[^,]+$",
                })
                { Description = "Properties to return (HubSpot's defaults when absent)." }),
            ActionHints.Read,
            p => new CrmGet(p.String("objectType")!, p.String("recordId")!, p.Strings("properties"))),
        HubSpotSearch.Descriptor(ObjectType),
    ];

    // HubSpot stores every property value as a string; numbers and booleans are converted the way
    // HubSpot's own UI would write them, and null clears a property.
    private static Dictionary<string, string?> PropertyValues(PayloadReader p)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in p.Nested("properties").Root.EnumerateObject())
        {
            var value = property.Value;
            result[property.Name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }

        return result;
    }
}
