using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

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

    private static readonly NumericIdSchema TicketId = new() { Description = "Zendesk ticket id." };
    private static readonly StringSchema Body = new() { Description = "Comment text." };
    private static readonly BooleanSchema Public = new() { Description = "Visible to the requester (default false: an internal note)." };

    internal static readonly StringSchema Tag = new()
    {
        AllowEmpty = true,
        Check = t => t.Length == 0 || t.Any(char.IsWhiteSpace) ? "must be a tag without spaces" : null,
        Pattern = @"^\S+$",
    };

    // null is meaningful for assigneeId, groupId and externalId: it unassigns the ticket or clears the id.
    private static readonly ObjectSchema Updates = new ObjectSchema { Description = "Ticket fields to change." }
        .Optional("status", new StringSchema { Enum = Statuses })
        .Optional("priority", new StringSchema { Enum = Priorities })
        .Optional("type", new StringSchema { Enum = Types })
        .Optional("assigneeId", new NumericIdSchema(), nullable: true)
        .Optional("groupId", new NumericIdSchema(), nullable: true)
        .Optional("subject", new StringSchema { SingleLine = true, MaxLength = 255 })
        .Optional("externalId", new StringSchema { AllowEmpty = true, SingleLine = true, MaxLength = 255 }, nullable: true)
        .Optional("tags", new ArraySchema(Tag) { Description = "Replaces all of the ticket's tags." })
        // Zendesk's additional_tags / remove_tags change the tag set without knowing (or clobbering) the rest.
        .Optional("additionalTags", new ArraySchema(Tag) { Description = "Tags to add, keeping the others." })
        .Optional("removeTags", new ArraySchema(Tag) { Description = "Tags to remove, keeping the others." });

    public static readonly ActionDescriptor[] Actions =
    [
        new(GetActionType, "Read a ticket.", new ObjectSchema().Required("ticketId", TicketId), ActionHints.Read,
            p => new TicketGet(p.Id("ticketId")!.Value)),
        // A PUT of the same fields leaves the ticket as one PUT would.
        new(UpdateType, "Change ticket fields and/or add a comment.",
            new ObjectSchema()
                .Required("ticketId", TicketId)
                .Rule(SchemaRule.AnyOf("updates", "comment"))
                .Optional("updates", Updates)
                .Rule(SchemaRule.NotEmptyUnless("updates", "comment"))
                .Optional("comment", new ObjectSchema().Required("body", Body).Optional("public", Public)),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: true),
            p => new TicketUpdate(p.Id("ticketId")!.Value, Fields(p.Nested("updates")), Comment(p.Nested("comment")))),
        new(AddCommentType, "Add a comment (public reply or internal note) to a ticket.",
            new ObjectSchema().Required("ticketId", TicketId).Required("body", Body).Optional("public", Public),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new TicketUpdate(p.Id("ticketId")!.Value, [], Comment(p))),
        .. ZendeskTicketActions.Actions,
    ];

    private static TicketComment? Comment(PayloadReader c) =>
        c.String("body") is { } body ? new TicketComment(body, c.Boolean("public") ?? false) : null;

    // Same order as Zendesk's documentation, so request bodies read predictably in logs and tests.
    internal static JsonObject Fields(PayloadReader u)
    {
        var fields = new JsonObject();
        foreach (var name in new[] { "status", "priority", "type", "subject" })
        {
            if (u.String(name) is { } value)
            {
                fields[name] = value;
            }
        }

        foreach (var (name, zendeskName) in new[] { ("tags", "tags"), ("additionalTags", "additional_tags"), ("removeTags", "remove_tags") })
        {
            if (u.Has(name))
            {
                fields[zendeskName] = new JsonArray(u.Strings(name).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            }
        }

        Clearable(u, fields, "assigneeId", "assignee_id", u.Id("assigneeId"));
        Clearable(u, fields, "groupId", "group_id", u.Id("groupId"));
        Clearable(u, fields, "externalId", "external_id", u.String("externalId"));
        return fields;
    }

    // An explicit null clears the field at Zendesk; absent leaves it alone.
    private static void Clearable(PayloadReader u, JsonObject fields, string name, string zendeskName, JsonNode? value)
    {
        if (value is not null)
        {
            fields[zendeskName] = value;
        }
        else if (u.HasRaw(name))
        {
            fields[zendeskName] = null;
        }
    }
}
