using System.Globalization;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors.Zendesk;

/// <summary>Simulated Zendesk tickets: <c>{"ticket": …}</c>, plus the <c>audit</c> an update returns.</summary>
internal static class ZendeskDemo
{
    public static JsonNode Answer(CallContext context, DemoIds ids)
    {
        var now = context.Now.ToUniversalTime();
        return context.Model switch
        {
            TicketGet get => new JsonObject { ["ticket"] = Ticket(get.TicketId, ids, now, null) },
            TicketUpdate update => new JsonObject
            {
                ["ticket"] = Ticket(update.TicketId, ids, now, update),
                ["audit"] = Audit(update, ids, now),
            },
            TicketCreate create => new JsonObject { ["ticket"] = Created(create, ids, now) },
            TicketSearch search => Results(search, ids, now),
            _ => throw new ArgumentException("not a zendesk action", nameof(context)),
        };
    }

    private static JsonObject Ticket(long id, DemoIds ids, DateTimeOffset now, TicketUpdate? update)
    {
        var created = now.AddHours(-ids.Number("age", 2, 240));
        var ticket = new JsonObject
        {
            ["id"] = id,
            ["url"] = $"https://demo.zendesk.com/api/v2/tickets/{id}.json",
            ["subject"] = "Demo ticket #" + id.ToString(CultureInfo.InvariantCulture),
            ["description"] = "Hello, I need help with my order.",
            ["status"] = "open",
            ["priority"] = "normal",
            ["type"] = "question",
            ["requester_id"] = long.Parse(ids.Digits("requester", 12), CultureInfo.InvariantCulture),
            ["submitter_id"] = long.Parse(ids.Digits("requester", 12), CultureInfo.InvariantCulture),
            ["assignee_id"] = long.Parse(ids.Digits("assignee", 12), CultureInfo.InvariantCulture),
            ["group_id"] = long.Parse(ids.Digits("group", 12), CultureInfo.InvariantCulture),
            ["external_id"] = null,
            ["tags"] = new JsonArray("demo"),
            ["created_at"] = Iso(created),
            ["updated_at"] = Iso(update is null ? created.AddMinutes(ids.Number("edit", 5, 600)) : now),
        };
        foreach (var (name, value) in update?.TicketFields ?? [])
        {
            ticket[name] = value?.DeepClone();
        }

        return ticket;
    }

    private static JsonObject Created(TicketCreate create, DemoIds ids, DateTimeOffset now)
    {
        var id = long.Parse(ids.Digits("ticket", 5), CultureInfo.InvariantCulture);
        var ticket = Ticket(id, ids, now, new TicketUpdate(id, create.TicketFields, create.Comment));
        ticket["status"] = create.TicketFields["status"]?.DeepClone() ?? "new";
        ticket["description"] = create.Comment.Body;
        ticket["created_at"] = Iso(now);
        ticket["updated_at"] = Iso(now);
        return ticket;
    }

    /// <summary>Zendesk's search answer: results tagged with <c>result_type</c>, one page, no next page.</summary>
    private static JsonObject Results(TicketSearch search, DemoIds ids, DateTimeOffset now)
    {
        var count = Math.Min(search.PerPage ?? 100, ids.Number("count", 1, 3));
        var results = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var ticket = Ticket(long.Parse(ids.Digits("ticket" + i, 5), CultureInfo.InvariantCulture), ids, now, null);
            ticket["result_type"] = "ticket";
            results.Add(ticket);
        }

        return new JsonObject { ["results"] = results, ["facets"] = null, ["next_page"] = null, ["previous_page"] = null, ["count"] = count };
    }

    private static JsonObject Audit(TicketUpdate update, DemoIds ids, DateTimeOffset now)
    {
        var events = new JsonArray();
        if (update.Comment is { } comment)
        {
            events.Add(new JsonObject
            {
                ["id"] = long.Parse(ids.Digits("comment", 13), CultureInfo.InvariantCulture),
                ["type"] = "Comment",
                ["body"] = comment.Body,
                ["public"] = comment.Public,
            });
        }

        foreach (var (name, value) in update.TicketFields)
        {
            events.Add(new JsonObject { ["type"] = "Change", ["field_name"] = name, ["value"] = value?.DeepClone() });
        }

        return new JsonObject
        {
            ["id"] = long.Parse(ids.Digits("audit", 13), CultureInfo.InvariantCulture),
            ["ticket_id"] = update.TicketId,
            ["created_at"] = Iso(now),
            ["events"] = events,
        };
    }

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
