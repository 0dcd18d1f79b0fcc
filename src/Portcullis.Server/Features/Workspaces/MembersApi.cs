using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Members and roles: <c>/api/workspace/members…</c>.</summary>
public static class MembersApi
{
    public sealed record AddMemberRequest(string Email, string Name, string Password, string Role);

    public sealed record ChangeRoleRequest(string Role);

    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder group)
    {
        group.MapGet("/workspace/members", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/workspace/members", Add).RequireAuthorization(RolePolicies.Admin).Accepts<AddMemberRequest>("application/json");
        group.MapPatch("/workspace/members/{userId}", ChangeRole).RequireAuthorization(RolePolicies.Admin).Accepts<ChangeRoleRequest>("application/json");
        return group;
    }

    public static async Task<Ok<IReadOnlyList<MemberDto>>> List(HttpContext http, Database database)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await Membership.ListAsync(connection, member.WorkspaceId));
    }

    public static async Task<Results<Created<MemberDto>, ProblemHttpResult>> Add(
        HttpContext http, Database database, Membership membership, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => AddAsync(http.User.GetMember(), body, database, membership, audit, time, http.RequestAborted));
    }

    /// <summary>Adding a member from a parsed body: the one path behind the API and the dashboard.</summary>
    public static async Task<Results<Created<MemberDto>, ProblemHttpResult>> AddAsync(
        Member member, JsonElement body, Database database, Membership membership, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var f = new JsonFields(body, new FieldErrors());
        var email = f.String("email", required: true, maxLength: 254);
        var name = f.String("name", required: true, maxLength: 100);
        var password = f.String("password", required: true, maxLength: 1024);
        var roleText = f.OneOf("role", Roles.Wire, required: true);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            f.Errors.Add("email", "must be an email address");
        }

        if (password is not null && password.Length < Passwords.MinLength)
        {
            f.Errors.Add("password", $"must be at least {Passwords.MinLength} characters");
        }

        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        Roles.TryParse(roleText, out var role);
        if (role > member.Role)
        {
            return Problems.Forbidden("you cannot grant a role above your own");
        }

        var userId = await database.WriteAsync(async (c, t) =>
        {
            var id = await membership.AddAsync(c, t, member.WorkspaceId, email!, name!, password!, role);
            if (id is not null)
            {
                await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "member.added", "user", id, new { role = roleText });
            }

            return id;
        }, ct);

        return userId is null
            ? Problems.Conflict($"`{email}` is already a member")
            : TypedResults.Created($"/api/workspace/members/{userId}", new MemberDto(userId, email!.Trim().ToLowerInvariant(), name!, roleText!, Times.ToIso(time.Now())));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeRole(
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, string userId)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => ChangeRoleAsync(http.User.GetMember(), userId, body, database, audit, http.RequestAborted));
    }

    /// <summary>Changing a member's role from a parsed body (<c>role</c>).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeRoleAsync(
        Member member, string userId, JsonElement body, Database database, AuditTrail audit, CancellationToken ct)
    {
        var f = new JsonFields(body, new FieldErrors());
        var roleText = f.OneOf("role", Roles.Wire, required: true);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        Roles.TryParse(roleText, out var role);
        return await database.WriteAsync<Results<NoContent, ProblemHttpResult>>(async (c, t) =>
        {
            var current = await Membership.RoleOfAsync(c, t, member.WorkspaceId, userId);
            if (current is null)
            {
                return Problems.NotFound($"member `{userId}`");
            }

            Roles.TryParse(current, out var currentRole);
            if (role > member.Role || currentRole > member.Role)
            {
                return Problems.Forbidden("you cannot change a role above your own");
            }

            var owners = await Membership.OwnerCountAsync(c, t, member.WorkspaceId);
            if (currentRole == Role.Owner && role != Role.Owner && owners <= 1)
            {
                return Problems.Conflict("a workspace keeps at least one owner");
            }

            await Membership.SetRoleAsync(c, t, member.WorkspaceId, userId, roleText!);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "member.role_changed", "user", userId, new { from = current, to = roleText });
            return TypedResults.NoContent();
        }, ct);
    }
}
