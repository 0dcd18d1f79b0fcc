using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// <c>POST /api/integrations/slack/interactions</c>: Slack's button clicks. SECURITY: the request is Slack's only if its
/// <c>v0</c> signature verifies under the signing secret of a workspace whose app is in the payload's team, with a
/// timestamp within five minutes; the same signature is accepted once. Anything else is 401 and changes nothing.
/// A signed request that is not one of our clicks is 400. A verified click decides through <see cref="SlackDecisions"/>;
/// the answer (and an ephemeral message through <c>response_url</c>) tells the clicker what happened.
/// </summary>
public static class SlackInteractions
{
    public const string SignatureInvalid = "slack_signature_invalid";
    public const string SignatureStale = "slack_signature_stale";
    public const string Replayed = "slack_replayed";
    public const string PayloadInvalid = "slack_payload_invalid";
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Slack's interaction answer: shown only to the clicker, the original message left as it is.</summary>
    public sealed record Ephemeral(
        [property: JsonPropertyName("response_type")] string ResponseType,
        [property: JsonPropertyName("replace_original")] bool ReplaceOriginal,
        [property: JsonPropertyName("text")] string Text);

    public static async Task<Results<Ok<Ephemeral>, ProblemHttpResult>> Handle(
        HttpContext http, SlackIntegrationStore integrations, SlackDecisions decisions, Database database, TimeProvider time)
    {
        var body = await ReadBodyAsync(http.Request);
        if (body is null)
        {
            return Problems.Create(400, PayloadInvalid, "Bad request", $"the body must be Slack's form-encoded interaction of at most {MaxBodyBytes} bytes");
        }

        var timestamp = http.Request.Headers[SlackSignature.TimestampHeader].ToString();
        var signature = http.Request.Headers[SlackSignature.SignatureHeader].ToString();
        var interaction = SlackInteraction.Parse(body);
        var (workspaceId, verdict) = await VerifyAsync(integrations, interaction.TeamId, timestamp, signature, body, time.GetUtcNow(), http.RequestAborted);
        if (verdict != SlackSignature.Verdict.Valid)
        {
            return verdict == SlackSignature.Verdict.Stale
                ? Problems.Create(401, SignatureStale, "Unauthorized", "the request timestamp is more than five minutes from now; nothing was changed")
                : Problems.Create(401, SignatureInvalid, "Unauthorized", "the request is not signed by a Slack app connected to Portcullis; nothing was changed");
        }

        if (!await FirstSightingAsync(database, signature, time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            return Problems.Create(401, Replayed, "Unauthorized", "this request was already received once; nothing was changed");
        }

        if (interaction.AsClick() is not { } click)
        {
            return Problems.Create(400, PayloadInvalid, "Bad request", "the payload is not a click on a Portcullis approval button (`block_actions`)");
        }

        var text = await decisions.DecideAsync(workspaceId!, click, CancellationToken.None);
        return TypedResults.Ok(new Ephemeral("ephemeral", false, text));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The workspace whose signing secret verifies the request; the stale check needs no secret and comes first.</summary>
    private static async Task<(string? WorkspaceId, SlackSignature.Verdict Verdict)> VerifyAsync(SlackIntegrationStore integrations, string? teamId,
        string timestamp, string signature, byte[] body, DateTimeOffset now, CancellationToken ct)
    {
        var first = SlackSignature.Verify("", timestamp, signature, body, now);
        if (first is SlackSignature.Verdict.Missing or SlackSignature.Verdict.Stale || teamId is null)
        {
            return (null, first == SlackSignature.Verdict.Stale ? first : SlackSignature.Verdict.Missing);
        }

        foreach (var (workspaceId, secrets) in await integrations.ByTeamAsync(teamId, ct))
        {
            if (SlackSignature.Verify(secrets.SigningSecret, timestamp, signature, body, now) == SlackSignature.Verdict.Valid)
            {
                return (workspaceId, SlackSignature.Verdict.Valid);
            }
        }

        return (null, SlackSignature.Verdict.Mismatch);
    }

    /// <summary>Records the signature; false when it was seen before. Entries older than the signature window are dropped.</summary>
    private static Task<bool> FirstSightingAsync(Database database, string signature, long now) => database.WriteAsync(async (c, t) =>
    {
        await c.ExecuteAsync("DELETE FROM slack_interactions_seen WHERE seen_at < @cutoff",
            new { cutoff = now - (long)(2 * SlackSignature.Tolerance.TotalMilliseconds) }, t);
        return await c.ExecuteAsync("INSERT INTO slack_interactions_seen (signature, seen_at) VALUES (@signature, @now) ON CONFLICT (signature) DO NOTHING",
            new { signature, now }, t) == 1;
    }, CancellationToken.None);
}
