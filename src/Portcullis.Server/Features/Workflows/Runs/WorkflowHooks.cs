using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// <c>POST /hooks/workflows/{id}/{token}</c>: a webhook trigger. The secret token in the URL is the credential (compared in
/// constant time against its stored hash); the JSON body becomes <c>trigger.input</c>. Every refusal is the same 404, so a
/// caller learns nothing about which workflows exist. A signed webhook also needs a valid, fresh HMAC signature (401
/// <c>invalid_signature</c> otherwise).
/// </summary>
public static class WorkflowHooks
{
    public const string InvalidSignature = "invalid_signature";

    public static void MapWorkflowHooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/hooks/workflows/{id}/{token}", Handle).AllowAnonymous().WithTags("Webhooks");

    private static async Task<IResult> Handle(HttpContext http, string id, string token, WorkflowStore store, WebhookTokens tokens,
        StartWorkflowRun start, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        var hook = await store.WebhookAsync(id, http.RequestAborted);
        if (hook is null || !tokens.Matches(token, hook.TokenHash))
        {
            return Problems.NotFound("webhook");
        }

        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxPayloadBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        if (hook.SealedSecret is { } sealedSecret
            && !tokens.SignatureMatches(id, sealedSecret, http.Request.Headers[WebhookTokens.SignatureHeader], read.Raw.Span, time.GetUtcNow()))
        {
            return Problems.Create(401, InvalidSignature, "Invalid signature",
                $"this webhook is signed: send {WebhookTokens.SignatureHeader}: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\"> within 5 minutes");
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var started = await start.ExecuteAsync(new StartWorkflowRunCommand(hook.WorkspaceId, id, null, body.RootElement.GetRawText(), StartedBy.Webhook,
            key.Length is 0 or > 255 ? null : key, "webhook"), http.RequestAborted);
        return started is StartWorkflowRunResult.Started s
            ? TypedResults.Json(new { workflowRunId = s.WorkflowRunId, runId = s.RunId, status = s.Status }, statusCode: StatusCodes.Status202Accepted)
            : Problems.NotFound("webhook");
    }
}
