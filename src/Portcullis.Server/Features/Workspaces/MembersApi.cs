using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Mcp;
using Portcullis.Server.Features.Workspaces.Invitations;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Members and roles: <c>/api/workspace/members…</c>.</summary>
public static class MembersApi
{
    /// <summary>Invites <see cref="Email"/>; the person accepts through the one-time link in the answer.</summary>
    public sealed record AddMemberRequest(string Email, string Role);

    public sealed record ChangeRoleRequest(string Role);

    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder group)
    {
        group.MapGet("/workspace/members", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/workspace/members", Add).RequireAuthorization(RolePolicies.Admin).Accepts<AddMemberRequest>("application/json");
        group.MapPatch("/workspace/members/{userId}", ChangeRole).RequireAuthorization(RolePolicies.Admin).Accepts<ChangeRoleRequest>("application/json");
        group.MapDelete("/workspace/members/{userId}", Remove).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<MemberDto>>> List(HttpContext http, WorkspaceQueries workspaces) =>
        TypedResults.Ok(await workspaces.ListMembersAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

    /// <summary>Creates an invitation (201 with its one-time token and link), never a member directly.</summary>
    public static async Task<Results<Created<CreatedInvitationDto>, ProblemHttpResult>> Add(
        HttpContext http, AddMember addMember, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Created<CreatedInvitationDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new AddMemberCommand(http.User.GetMember(), f.Text("email"), f.Text("role"));
            return await addMember.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                AddMemberResult.Invited invited => TypedResults.Created($"/api/workspace/invitations/{invited.Invitation.Id}",
                    CreatedInvitationDto.Of(invited.Invitation, invited.Token, McpLinks.For(http).BaseUrl)),
                AddMemberResult.Invalid invalid => Problems.Validation(invalid.Errors),
                AddMemberResult.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
                AddMemberResult.Conflict conflict => Problems.Conflict(conflict.Detail),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeRole(
        HttpContext http, ChangeMemberRole changeRole, IOptions<LimitsOptions> limits, string userId)
    {
        return await JsonBody.ThenAsync<NoContent>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new ChangeMemberRoleCommand(http.User.GetMember(), userId, f.Text("role"));
            return await changeRole.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                ChangeMemberRoleResult.Changed => TypedResults.NoContent(),
                ChangeMemberRoleResult.Invalid invalid => Problems.Validation(invalid.Errors),
                ChangeMemberRoleResult.MemberNotFound missing => Problems.NotFound($"member `{missing.UserId}`"),
                ChangeMemberRoleResult.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
                ChangeMemberRoleResult.Conflict conflict => Problems.Conflict(conflict.Detail),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(HttpContext http, RemoveMember remove, string userId) =>
        await remove.ExecuteAsync(new RemoveMemberCommand(http.User.GetMember(), userId), http.RequestAborted) switch
        {
            RemoveMemberResult.Removed => TypedResults.NoContent(),
            RemoveMemberResult.MemberNotFound missing => Problems.NotFound($"member `{missing.UserId}`"),
            RemoveMemberResult.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
            RemoveMemberResult.Conflict conflict => Problems.Conflict(conflict.Detail),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
}
