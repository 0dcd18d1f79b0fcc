using Portcullis.Server.Features.Approvals.Callbacks;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>/api/approvals…</c>: the approvers' queue and decisions, the agent's view of one approval (with long-poll),
/// callback deliveries, and the callback signing secret.
/// </summary>
public static class ApprovalsApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder group)
    {
        group.MapGet("/approvals", ListApprovals.Handle).RequireAuthorization(RolePolicies.Viewer);
        // Agents (an API key, with its rate limit, without the billing lock: an agent may always learn how its request
        // ended) and members (a token) both read one approval; the handler tells them apart.
        group.MapGet("/approvals/{id}", GetApproval.Handle).RequireAgentKeyOrMember().WithTags("Agent API");
        group.MapPost("/approvals/{id}/approve", DecideApproval.Approve).RequireAuthorization(RolePolicies.Approver)
            .Accepts<Edits.ApproveBody>("application/json");
        group.MapPost("/approvals/{id}/reject", DecideApproval.Reject).RequireAuthorization(RolePolicies.Approver)
            .Accepts<DecideApproval.Request>("application/json");
        group.MapGet("/approvals/{id}/deliveries", CallbacksApi.Deliveries).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/workspace/webhook-secret", CallbacksApi.Status).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/workspace/webhook-secret/rotate", CallbacksApi.Rotate).RequireAuthorization(RolePolicies.Owner);
        return group;
    }
}
