using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Ask before acting: what <see cref="ActionEngine.RequestAsync"/> would decide for this request at this moment, through the
/// same preflight and the same decision (<see cref="ActionDecider"/>), with nothing recorded and nothing executed.
/// </summary>
public sealed class ActionCheck(Database database, ActionDecider decider, TimeProvider time)
{
    private sealed record CheckAnswer(string Decision, string Reason, IReadOnlyList<MatchedPolicyDto> MatchedPolicies);

    public async Task<RequestActionResult> CheckAsync(RequestActionCommand command, CancellationToken ct)
    {
        var (agent, input, _) = command;
        var (run, refusal) = await decider.PreflightAsync(command, recording: false, ct);
        if (run is null)
        {
            return refusal!;
        }

        // A key already used: the request would replay its first answer (or conflict), so that is what it would be decided.
        if (input.IdempotencyKey is not null && await IdempotentReplay.FindAsync(database, agent.AgentId, input, ct) is { } replay)
        {
            return replay is Replayed r ? new Checked(FromAnswer(r.AnswerJson)) : replay;
        }

        var context = ActionDecider.ContextOf(command, run);
        var set = await decider.PoliciesAsync(agent, ct);
        var now = time.Now();
        // Read outside any transaction and unlocked: a check reserves nothing, so a concurrent request may still use up a budget.
        var values = ActionDecider.NeedsVelocity(agent, set)
            ? await database.ReadAsync(c => decider.VelocityAsync(c, null, set, context, agent, now), ct)
            : null;
        var decided = ActionDecider.Decide("", agent, input, set, context, values, now);
        var matched = decided.Evaluation.Matched.Select(MatchedPolicyDto.From).ToList();
        return new Checked(JsonSerializer.Serialize(new CheckAnswer(decided.Decision, decided.Evaluation.Reason, matched), ActionAnswer.Json));
    }

    private static string FromAnswer(string answerJson)
    {
        var answer = JsonNode.Parse(answerJson)!.AsObject();
        return new JsonObject
        {
            ["decision"] = answer["decision"]?.DeepClone(),
            ["reason"] = answer["reason"]?.DeepClone(),
            ["matchedPolicies"] = answer["matchedPolicies"]?.DeepClone(),
        }.ToJsonString();
    }

    /// <summary><c>POST /api/actions/check</c>: the body of <c>POST /api/actions/request</c>, the same validation and problems.</summary>
    public static async Task<IResult> Handle(HttpContext http, IOptions<LimitsOptions> limits, ActionCheck check)
    {
        var errors = new FieldErrors();
        var input = ActionRequestInput.Read(http.GetAgentBody(), http.Request.Headers["Idempotency-Key"].ToString(), limits.Value, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        return RequestAction.ToHttp(await check.CheckAsync(new RequestActionCommand(http.GetAgent(), input), http.RequestAborted));
    }
}
