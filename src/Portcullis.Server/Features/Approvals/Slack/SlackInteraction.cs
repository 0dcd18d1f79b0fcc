using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// A Slack interaction request as Slack sends it: form-encoded, its <c>payload</c> field a JSON document. Reading it decides
/// nothing; <see cref="TeamId"/> only says whose signing secrets to try.
/// </summary>
public sealed record SlackInteraction(string? TeamId, JsonElement? Payload)
{
    /// <summary>A button click on an approval message: who clicked, which button, which approval, where to answer.</summary>
    public sealed record Click(string SlackUserId, bool Approve, string ApprovalId, string? ResponseUrl);

    public static SlackInteraction Parse(ReadOnlySpan<byte> body)
    {
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (!form.TryGetValue("payload", out var text) || text.Count != 1)
        {
            return new(null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text[0]!);
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null);
            }

            var team = Str(Prop(root, "team"), "id") ?? Str(Prop(root, "user"), "team_id");
            return new(team, root);
        }
        catch (JsonException)
        {
            return new(null, null);
        }
    }

    /// <summary>The click this payload carries; null when it is not a <c>block_actions</c> click on one of our buttons.</summary>
    public Click? AsClick()
    {
        if (Payload is not { } p || Str(p, "type") != "block_actions" || Str(Prop(p, "user"), "id") is not { Length: > 0 } user
            || Prop(p, "actions") is not { ValueKind: JsonValueKind.Array } actions || actions.GetArrayLength() != 1)
        {
            return null;
        }

        var action = actions[0];
        var approve = Str(action, "action_id") switch
        {
            SlackApprovalMessage.ApproveAction => true,
            SlackApprovalMessage.RejectAction => (bool?)false,
            _ => null,
        };
        return approve is { } yes && Str(action, "value") is { Length: > 0 and <= 100 } approvalId && approvalId.StartsWith("apr_", StringComparison.Ordinal)
            ? new Click(user, yes, approvalId, Str(p, "response_url"))
            : null;
    }

    private static JsonElement? Prop(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : null;

    private static string? Str(JsonElement? e, string name) => Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
