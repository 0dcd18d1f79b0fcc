using System.Text.Json;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// The body of a create (<c>{ url, types, description? }</c>, all but description required) or an update (any of them).
/// Type names outside <see cref="EventTypes.All"/> are kept apart, answered with their own code.
/// </summary>
public sealed record EventSubscriptionInput(string? Url, IReadOnlyList<string>? Types, string? Description, bool HasDescription)
{
    public const int MaxUrlLength = 2048;

    public static EventSubscriptionInput Read(JsonElement body, bool create, FieldErrors errors, List<string> unknownTypes)
    {
        var f = new JsonFields(body, errors);
        var url = f.String("url", required: create, maxLength: MaxUrlLength);
        var description = f.String("description", maxLength: 500);
        var types = ReadTypes(f, create, unknownTypes);
        return new(url, types, description, body.TryGetProperty("description", out _));
    }

    private static List<string>? ReadTypes(JsonFields f, bool create, List<string> unknownTypes)
    {
        if (f.Array("types", required: create) is not { } array)
        {
            return null;
        }

        var items = array.EnumerateArray().ToList();
        if (items.Count == 0 || items.Count > EventTypes.All.Count || items.Any(i => i.ValueKind != JsonValueKind.String))
        {
            f.Errors.Add("types", $"must be a non-empty array of event type names (at most {EventTypes.All.Count})");
            return null;
        }

        var types = items.Select(i => i.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        unknownTypes.AddRange(types.Where(t => !EventTypes.IsKnown(t)));
        return types;
    }
}
