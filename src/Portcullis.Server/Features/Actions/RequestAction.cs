using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Security;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// <c>POST /api/actions/request</c>: the REST adapter over <see cref="ActionEngine"/>. The route's AgentKey scheme, rate limit,
/// billing filter and body filter have run; this parses the body and maps the engine's result to the spec's answer or a problem.
/// </summary>
public static class RequestAction
{
    // The body's shape for the OpenAPI document; ActionRequestInput reads the body field by field.
    public sealed record Request(
        string RunId, string ActionType, IReadOnlyDictionary<string, JsonElement> Payload, string? Provider = null, string? ResourceType = null,
        string? ResourceId = null, IReadOnlyDictionary<string, JsonElement>? Evidence = null, string? IdempotencyKey = null, string? CallbackUrl = null,
        IReadOnlyDictionary<string, JsonElement>? Context = null, string? AgentKey = null);

    public static async Task<IResult> Handle(HttpContext http, IOptions<LimitsOptions> limits, ActionEngine engine, OutboundGuard guard)
    {
        var agent = http.GetAgent();
        var errors = new FieldErrors();
        var input = ActionRequestInput.Read(http.GetAgentBody(), http.Request.Headers["Idempotency-Key"].ToString(), limits.Value, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        // SECURITY: the agent names the URL the outcome is posted to; checked here for a clear answer, again at every connection.
        if (input.CallbackUrl is { } callback && await guard.ProblemAsync(callback, OutboundUrlRules.Endpoint, http.RequestAborted) is { } refused)
        {
            return Problems.UrlNotAllowed("callbackUrl", refused);
        }

        var result = await engine.RequestAsync(new RequestActionCommand(agent, input), http.RequestAborted);
        return ToHttp(result);
    }

    public static IResult ToHttp(RequestActionResult result) => result switch
    {
        Decided d => Json(d.AnswerJson),
        Replayed r => Json(r.AnswerJson),
        Checked c => Json(c.AnswerJson),
        InvalidPayload p => Problems.Validation(FieldErrors.From(p.Errors)),
        RunNotFound n => Problems.NotFound($"run `{n.RunId}`"),
        RunEnded e => Problems.Conflict(e.Status is null ? $"run `{e.RunId}` has ended" : $"run `{e.RunId}` has ended with status `{e.Status}`",
            ErrorCodes.RunEnded),
        KeyConflict => Problems.Conflict("this idempotency key was used with a different request body"),
        _ => throw new InvalidOperationException($"unhandled result {result.GetType().Name}"),
    };

    internal static IResult Json(string json) => Results.Content(json, "application/json", System.Text.Encoding.UTF8, 200);
}
