using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// <c>POST /api/actions/{actionRequestId}/reconcile</c> <c>{"outcome": "executed" | "failed" | "retry", "comment"}</c>: an admin
/// settles an action whose outcome became <c>unknown</c> when its server died mid-call. Audited.
/// </summary>
public static class ReconcileAction
{
    public sealed record Request(string Outcome, string? Comment);

    public sealed record Response(string ActionRequestId, string Status);

    public static RouteGroupBuilder MapReconcile(this RouteGroupBuilder group)
    {
        group.MapPost("/actions/{actionRequestId}/reconcile", Handle).RequireAuthorization(RolePolicies.Admin).Accepts<Request>("application/json");
        return group;
    }

    public static Task<Results<Ok<Response>, ProblemHttpResult>> Handle(
        HttpContext http, string actionRequestId, ActionReconciler reconciler, IOptions<LimitsOptions> limits) =>
        JsonBody.ThenAsync<Ok<Response>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var member = http.User.GetMember();
            var fields = new JsonFields(body, new FieldErrors());
            var outcome = fields.String("outcome", required: true, maxLength: 16);
            var comment = fields.String("comment", maxLength: 2000);
            if (outcome is not null && !ReconcileOutcome.All.Contains(outcome))
            {
                fields.Errors.Add("outcome", "must be one of `executed`, `failed`, `retry`");
            }

            if (fields.Errors.Any)
            {
                return Problems.Validation(fields.Errors);
            }

            // Not the request's token: a reconciliation, once sent, is recorded whole.
            var command = new ReconcileCommand(member.WorkspaceId, member.UserId, actionRequestId, outcome!, comment);
            return await reconciler.ReconcileAsync(command, CancellationToken.None) switch
            {
                ReconcileResult.Reconciled r => TypedResults.Ok(new Response(r.ActionRequestId, r.Status)),
                ReconcileResult.NotReconcilable n => Problems.Conflict(
                    $"action request `{n.ActionRequestId}` is {n.Status}; only an action whose outcome is unknown can be reconciled",
                    ActionErrorCodes.NotReconcilable),
                _ => Problems.NotFound($"action request `{actionRequestId}`"),
            };
        });
}
