using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Zendesk;

// TicketFields holds Zendesk's own (snake_case) names, as for TicketUpdate.
internal sealed record TicketCreate(JsonObject TicketFields, TicketComment Comment, JsonObject? Requester);

internal sealed record TicketSearch(string Query, string? SortBy, string? SortOrder, long? Page, long? PerPage);

/// <summary>Creating a ticket and searching tickets (Zendesk's Tickets and Search APIs).</summary>
internal static class ZendeskTicketActions
{
    public const string CreateType = "ticket.create";
    public const string SearchType = "ticket.search";

    public static readonly string[] SortFields = ["updated_at", "created_at", "priority", "status", "ticket_type"];

    private static readonly ObjectSchema Requester = new ObjectSchema { Description = "The requester, created in Zendesk if the address is new; the credential's user when absent." }
        .Required("email", new StringSchema { SingleLine = true, MaxLength = 254, Check = CredentialFormats.Email, Pattern = @"^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$" })
        .Optional("name", new StringSchema { SingleLine = true, MaxLength = 255 });

    public static readonly ActionDescriptor[] Actions =
    [
        // A resend is a second ticket: never repeated.
        new(CreateType, "Open a ticket with a first comment.",
            new ObjectSchema()
                .Required("subject", new StringSchema { SingleLine = true, MaxLength = 255 })
                .Required("comment", new ObjectSchema()
                    .Required("body", new StringSchema { Description = "The ticket's first comment (its description)." })
                    .Optional("public", new BooleanSchema { Description = "Visible to the requester (Zendesk's default: true)." }))
                .Optional("requester", Requester)
                .Optional("status", new StringSchema { Enum = ZendeskActions.Statuses })
                .Optional("priority", new StringSchema { Enum = ZendeskActions.Priorities })
                .Optional("type", new StringSchema { Enum = ZendeskActions.Types })
                .Optional("assigneeId", new NumericIdSchema())
                .Optional("groupId", new NumericIdSchema())
                .Optional("externalId", new StringSchema { SingleLine = true, MaxLength = 255 })
                .Optional("tags", new ArraySchema(ZendeskActions.Tag)),
            new ActionHints(ReadOnly: false, Destructive: false, Idempotent: false),
            p => new TicketCreate(ZendeskActions.Fields(p), FirstComment(p.Nested("comment")), RequesterOf(p.Nested("requester")))),
        new(SearchType, "Search tickets with Zendesk's search syntax, a page at a time.",
            new ObjectSchema()
                .Required("query", new StringSchema { SingleLine = true, MaxLength = 1_000, Description = "Zendesk search terms, e.g. `status:open requester:ana@example.com`; `type:ticket` is added." })
                .Optional("sortBy", new StringSchema { Enum = SortFields })
                .Optional("sortOrder", new StringSchema { Enum = ["asc", "desc"] })
                .Optional("page", new PositiveIntegerSchema { Description = "Page number, from 1." })
                .Optional("perPage", new PositiveIntegerSchema { Maximum = 100, Description = "Results per page, 1 to 100 (Zendesk's default is 100)." }),
            ActionHints.Read,
            p => new TicketSearch(p.String("query")!, p.String("sortBy"), p.String("sortOrder"), p.Long("page"), p.Long("perPage"))),
    ];

    private static TicketComment FirstComment(PayloadReader c) => new(c.String("body")!, c.Boolean("public") ?? true);

    private static JsonObject? RequesterOf(PayloadReader r) =>
        r.String("email") is not { } email
            ? null
            : r.String("name") is { } name ? new JsonObject { ["name"] = name, ["email"] = email } : new JsonObject { ["email"] = email };
}
