using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Refuses agent calls with 402 <c>billing_locked</c> while the workspace's billing is locked. Applied to the
/// endpoints that start new work (run start, events, action requests); ending a run and reading an approval
/// stay open so an agent can always close what it opened and learn how its request ended.
/// </summary>
public sealed class BillingLockFilter(TimeProvider time) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Billing.Evaluate(context.HttpContext.GetAgent().Workspace, time.Now()) is { } locked
            ? ValueTask.FromResult<object?>(Problem(locked))
            : next(context);

    public static ProblemHttpResult Problem(Billing.Lock locked) =>
        Problems.Create(402, ErrorCodes.BillingLocked, "Billing locked",
            $"the workspace's billing is locked: {locked.Reason}",
            new Dictionary<string, object?>
            {
                ["billing"] = new Dictionary<string, string> { ["state"] = locked.State, ["reason"] = locked.Reason, ["recovery"] = locked.Recovery },
            });
}
