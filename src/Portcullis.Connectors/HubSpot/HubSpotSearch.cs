using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.HubSpot;

// Body is HubSpot's search request as validated: the payload's names already are HubSpot's.
internal sealed record CrmSearch(string ObjectType, JsonObject Body);

/// <summary>
/// <c>crm.search_records</c> (HubSpot's CRM search: filter groups OR-ed, filters in a group AND-ed) and the
/// <c>associations</c> a created record may carry.
/// </summary>
internal static class HubSpotSearch
{
    public const string SearchType = "crm.search_records";

    public static readonly string[] Operators =
    [
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
        "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
    ];

    public static readonly string[] AssociationCategories = ["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"];

    private static readonly StringSchema PropertyName = new() { SingleLine = true, MaxLength = 100 };

    private static readonly ObjectSchema Filter = new ObjectSchema()
        .Required("propertyName", PropertyName)
        .Required("operator", new StringSchema { Enum = Operators })
        .Optional("value", new StringSchema { AllowEmpty = true, Description = "For EQ, NEQ, LT…, CONTAINS_TOKEN; the low end for BETWEEN." })
        .Optional("highValue", new StringSchema { AllowEmpty = true, Description = "The high end for BETWEEN." })
        .Optional("values", new ArraySchema(new StringSchema { AllowEmpty = true }) { Description = "For IN and NOT_IN." });

    // HubSpot's documented limits: 5 groups, 6 filters per group, 200 results per page.
    private static readonly ArraySchema FilterGroups = new(new ObjectSchema()
        .Required("filters", new ArraySchema(Filter) { NonEmpty = true, MaxItems = 6 }))
    {
        MaxItems = 5,
        Description = "Groups OR-ed together; the filters inside a group are AND-ed.",
    };

    public static readonly ArraySchema Associations = new(new ObjectSchema()
        .Required("toId", new StringSchema { SingleLine = true, MaxLength = 100, Description = "Id of the record to associate with." })
        .Required("associationTypeId", new PositiveIntegerSchema { Description = "HubSpot association type, e.g. 279 contact → company." })
        .Optional("associationCategory", new StringSchema { Enum = AssociationCategories, Description = "Default `HUBSPOT_DEFINED`." }))
    {
        NonEmpty = true,
        MaxItems = 100,
        Description = "Records the new record is associated with as it is created.",
    };

    public static ActionDescriptor Descriptor(StringSchema objectType) =>
        new(SearchType, "Search CRM records with filter groups, a page at a time.",
            new ObjectSchema()
                .Required("objectType", objectType)
                .Optional("filterGroups", FilterGroups)
                .Optional("query", new StringSchema { SingleLine = true, MaxLength = 3_000, Description = "Text searched in the object's default searchable properties." })
                .Optional("sorts", new ArraySchema(new ObjectSchema()
                    .Required("propertyName", PropertyName)
                    .Optional("direction", new StringSchema { Enum = ["ASCENDING", "DESCENDING"] }))
                { MaxItems = 1 })
                .Optional("properties", new ArraySchema(PropertyName) { Description = "Properties to return (HubSpot's defaults when absent)." })
                .Optional("limit", new PositiveIntegerSchema { Maximum = 200, Description = "Results per page, 1 to 200 (HubSpot's default is 10)." })
                .Optional("after", new StringSchema { SingleLine = true, MaxLength = 100, Description = "`paging.next.after` of the previous page." }),
            ActionHints.Read,
            p => new CrmSearch(p.String("objectType")!, SearchBody(p)));

    private static JsonObject SearchBody(PayloadReader p)
    {
        var body = new JsonObject();
        foreach (var name in new[] { "filterGroups", "sorts", "query", "properties", "limit", "after" })
        {
            if (p.Element(name) is { } value)
            {
                body[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        return body;
    }

    /// <summary>HubSpot's create-with-associations shape: <c>[{to: {id}, types: [{associationCategory, associationTypeId}]}]</c>.</summary>
    public static JsonArray? AssociationsOf(PayloadReader p)
    {
        if (p.Element("associations") is not { } given)
        {
            return null;
        }

        var result = new JsonArray();
        foreach (var item in given.EnumerateArray())
        {
            var category = item.TryGetProperty("associationCategory", out var c) ? c.GetString() : "HUBSPOT_DEFINED";
            result.Add(new JsonObject
            {
                ["to"] = new JsonObject { ["id"] = item.GetProperty("toId").GetString() },
                ["types"] = new JsonArray(new JsonObject { ["associationCategory"] = category, ["associationTypeId"] = item.GetProperty("associationTypeId").GetInt64() }),
            });
        }

        return result;
    }
}
