using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.Zendesk;

internal sealed record TicketGet(long TicketId);

// TicketFields holds ticket fields in Zendesk's own (snake_case) names, ready to send.
internal sealed record TicketUpdate(long TicketId, JsonObject TicketFields, TicketComment? Comment);

internal sealed record TicketComment(string Body, bool Public);

/// <summary>Zendesk Support payload schemas.</summary>
internal static class ZendeskActions
{
    public const string GetActionType = "ticket.get";
    public const string UpdateType = "ticket.update";
    public const string AddCommentType = "ticket.add_comment";

    // Zendesk's documented enums for the ticket fields agents may change.
    public static readonly string[] Statuses = ["new", "open", "pending", "hold", "solved", "closed"];
    public static readonly string[] Priorities = ["urgent", "high", "normal", "low"];
    public static readonly string[] Types = ["problem", "incident", "question", "task"];

    private static readonly string[] UpdateFields =
        ["status", "priority", "type", "assigneeId", "groupId", "subject", "externalId", "tags"];

    public static readonly ActionDefinition[] Definitions =
    [
        new(GetActionType, ProviderNames.Zendesk, ParseGet),
        new(UpdateType, ProviderNames.Zendesk, ParseUpdate),
        new(AddCommentType, ProviderNames.Zendesk, ParseAddComment),
    ];

    private static ParsedPayload ParseGet(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["ticketId"]);
        var id = v.PositiveIntegerOrNumericString("ticketId", required: true);
        return ParsedPayload.From(v, () => new TicketGet(id!.Value));
    }

    private static ParsedPayload ParseUpdate(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["ticketId", "updates", "comment"]);
        var id = v.PositiveIntegerOrNumericString("ticketId", required: true);
        if (v.IsObject && !v.Has("updates") && !v.Has("comment"))
        {
            v.Add("updates", "one of `updates` or `comment` is required");
        }

        var fields = v.Object("updates", required: false, nonEmpty: !v.Has("comment")) is { } updates
            ? ParseFields(v.Nested("updates", updates, UpdateFields))
            : [];
        TicketComment? comment = null;
        if (v.Object("comment", required: false) is { } commentObject)
        {
            var c = v.Nested("comment", commentObject, ["body", "public"]);
            var body = c.String("body", required: true);
            var isPublic = c.Boolean("public", required: false) ?? false;
            comment = body is null ? null : new TicketComment(body, isPublic);
        }

        return ParsedPayload.From(v, () => new TicketUpdate(id!.Value, fields, comment));
    }

    private static ParsedPayload ParseAddComment(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["ticketId", "body", "public"]);
        var id = v.PositiveIntegerOrNumericString("ticketId", required: true);
        var body = v.String("body", required: true);
        var isPublic = v.Boolean("public", required: false) ?? false;
        return ParsedPayload.From(v, () => new TicketUpdate(id!.Value, [], new TicketComment(body!, isPublic)));
    }

    private static JsonObject ParseFields(PayloadValidator u)
    {
        var fields = new JsonObject();
        Set(fields, "status", u.OneOf("status", false, Statuses));
        Set(fields, "priority", u.OneOf("priority", false, Priorities));
        Set(fields, "type", u.OneOf("type", false, Types));
        Set(fields, "subject", u.String("subject", false, singleLine: true, maxLength: 255));
        if (u.StringArray("tags", false, check: t => t.Length == 0 || t.Any(char.IsWhiteSpace) ? "must be a tag without spaces" : null) is { } tags)
        {
            fields["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }

        // null is meaningful for these three: it unassigns the ticket or clears the external id.
        NullableId(u, fields, "assigneeId", "assignee_id");
        NullableId(u, fields, "groupId", "group_id");
        if (u.HasRaw("externalId") && !u.Has("externalId"))
        {
            fields["external_id"] = null;
        }
        else
        {
            Set(fields, "external_id", u.String("externalId", false, allowEmpty: true, singleLine: true, maxLength: 255));
        }

        return fields;
    }

    private static void NullableId(PayloadValidator u, JsonObject fields, string name, string zendeskName)
    {
        if (u.HasRaw(name) && !u.Has(name))
        {
            fields[zendeskName] = null;
        }
        else if (u.PositiveIntegerOrNumericString(name, required: false) is { } id)
        {
            fields[zendeskName] = id;
        }
    }

    private static void Set(JsonObject fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }
}
