using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors.HubSpot;

/// <summary>Simulated CRM v3 object records: numeric id, string properties, timestamps.</summary>
internal static class HubSpotDemo
{
    private static readonly Dictionary<string, string[]> DefaultProperties = new(StringComparer.Ordinal)
    {
        ["contacts"] = ["email", "firstname", "lastname"],
        ["companies"] = ["name", "domain"],
        ["deals"] = ["dealname", "amount", "dealstage", "pipeline"],
        ["tickets"] = ["subject", "content", "hs_pipeline_stage"],
    };

    public static JsonNode Answer(CallContext context, DemoIds ids)
    {
        var now = context.Now.ToUniversalTime();
        var earlier = now.AddDays(-ids.Number("age", 1, 400));
        return context.Model switch
        {
            CrmCreate create => Record(ids.Digits("record", 11), create.Properties, now, now),
            CrmUpdate update => Record(update.RecordId, update.Properties, earlier, now),
            CrmGet get => Record(get.RecordId, Invented(get, ids), earlier, earlier.AddHours(ids.Number("edit", 1, 48))),
            CrmSearch search => Found(search, ids, earlier),
            _ => throw new ArgumentException("not a hubspot action", nameof(context)),
        };
    }

    /// <summary>HubSpot's search answer: <c>{total, results}</c>, one page, so no <c>paging</c>.</summary>
    private static JsonObject Found(CrmSearch search, DemoIds ids, DateTimeOffset earlier)
    {
        var count = Math.Min(search.Body["limit"]?.GetValue<long>() ?? 10, ids.Number("count", 1, 3));
        var wanted = search.Body["properties"] is JsonArray names ? names.Select(n => n!.GetValue<string>()).ToArray() : [];
        var results = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var id = ids.Digits("record" + i, 11);
            results.Add(Record(id, Invented(new CrmGet(search.ObjectType, id, wanted), ids), earlier, earlier.AddHours(i + 1)));
        }

        return new JsonObject { ["total"] = count, ["results"] = results };
    }

    private static JsonObject Record(string id, IReadOnlyDictionary<string, string?> properties, DateTimeOffset created, DateTimeOffset updated)
    {
        var values = new JsonObject
        {
            ["createdate"] = Iso(created),
            ["hs_lastmodifieddate"] = Iso(updated),
            ["hs_object_id"] = id,
        };
        foreach (var (name, value) in properties)
        {
            values[name] = value ?? "";
        }

        return new JsonObject
        {
            ["id"] = id,
            ["properties"] = values,
            ["createdAt"] = Iso(created),
            ["updatedAt"] = Iso(updated),
            ["archived"] = false,
        };
    }

    private static Dictionary<string, string?> Invented(CrmGet get, DemoIds ids)
    {
        var names = get.Properties.Count > 0 ? get.Properties : DefaultProperties[get.ObjectType];
        return names.ToDictionary(name => name, name => (string?)Value(name, ids), StringComparer.Ordinal);
    }

    private static string Value(string name, DemoIds ids) => name switch
    {
        "email" => $"contact.{ids.Hex("email", 6)}@example.com",
        "firstname" => "Demo",
        "lastname" => "Contact " + ids.Digits("lastname", 3),
        "name" => "Demo Company " + ids.Digits("company", 3),
        "domain" => $"demo-{ids.Hex("domain", 6)}.example.com",
        "dealname" => "Demo Deal " + ids.Digits("deal", 3),
        "amount" => ids.Number("amount", 1_000, 90_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "dealstage" => "appointmentscheduled",
        "pipeline" => "default",
        "subject" => "Demo ticket " + ids.Digits("ticket", 4),
        "hs_pipeline_stage" => "1",
        _ => "demo " + ids.Alnum(name, 8),
    };

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
