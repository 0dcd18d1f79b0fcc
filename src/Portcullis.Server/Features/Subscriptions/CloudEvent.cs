using System.Text.Json;
using System.Text.Json.Serialization;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Subscriptions;

/// <summary>
/// A CloudEvents 1.0 event in structured JSON mode (the whole event is the body, sent as
/// <c>application/cloudevents+json</c>). One event has one id, whatever the number of subscriptions it goes to, so a
/// receiver can deduplicate retries and redeliveries by <c>id</c> (with <c>source</c>).
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("time")] string Time,
    [property: JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject,
    [property: JsonPropertyName("datacontenttype")] string DataContentType,
    [property: JsonPropertyName("data")] object Data)
{
    public const string MediaType = "application/cloudevents+json";

    public static CloudEvent Of(string eventId, string workspaceId, string type, string? subject, object data, long now) =>
        new("1.0", eventId, SourceOf(workspaceId), EventTypes.Prefix + type, Times.ToIso(now), subject, "application/json", data);

    /// <summary>Stable per workspace: a receiver shared by several workspaces tells them apart by it.</summary>
    public static string SourceOf(string workspaceId) => $"/workspaces/{workspaceId}";

    // The API's own JSON settings (camelCase), so data reads as the API shows the object.
    public string Serialize() => JsonSerializer.Serialize(this, ActionAnswer.Json);
}
