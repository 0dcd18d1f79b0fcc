using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workspaces.Invitations;

/// <summary>Invitations: <c>/api/workspace/invitations…</c> for admins, <c>POST /api/invitations/accept</c> for the invitee.</summary>
public static class InvitationsApi
{
    public sealed record AcceptRequest(string Token, string? Name, string? Password);

    public static RouteGroupBuilder MapInvitations(this RouteGroupBuilder group)
    {
        group.MapGet("/workspace/invitations", List).RequireAuthorization(RolePolicies.Admin);
        group.MapDelete("/workspace/invitations/{id}", Revoke).RequireAuthorization(RolePolicies.Admin);
        group.MapPost("/invitations/accept", Accept).AllowAnonymous().Accepts<AcceptRequest>("application/json");
        return group;
    }

    /// <summary>Every invitation of the workspace (newest first), or only those in one <paramref name="status"/>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<InvitationDto>>, ProblemHttpResult>> List(
        HttpContext http, InvitationStore store, TimeProvider time, string? status = null)
    {
        string[] statuses = [InvitationStatus.Pending, InvitationStatus.Accepted, InvitationStatus.Revoked, InvitationStatus.Expired];
        if (status is not null && !statuses.Contains(status))
        {
            return Problems.Validation("status", $"must be one of {string.Join(", ", statuses)}");
        }

        var rows = await store.ListAsync(http.User.GetMember().WorkspaceId, pendingOnly: false, http.RequestAborted);
        var now = time.Now();
        return TypedResults.Ok<IReadOnlyList<InvitationDto>>(rows.Select(r => r.ToDto(now)).Where(d => status is null || d.Status == status).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(HttpContext http, RevokeInvitation revoke, string id) =>
        await revoke.ExecuteAsync(new RevokeInvitationCommand(http.User.GetMember(), id), http.RequestAborted) switch
        {
            RevokeInvitationResult.Revoked => TypedResults.NoContent(),
            RevokeInvitationResult.NotFound missing => Problems.NotFound($"invitation `{missing.InvitationId}`"),
            RevokeInvitationResult.Conflict conflict => Problems.Conflict(conflict.Detail),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    /// <summary>Anonymous for a new user; an existing user sends their bearer token (a session or access token of any workspace).</summary>
    public static async Task<Results<Ok<AuthApi.LoginResponse>, ProblemHttpResult>> Accept(
        HttpContext http, AcceptInvitation accept, IOptions<LimitsOptions> limits)
    {
        Member? signedIn = null;
        if (BearerToken.From(http.Request) is not null)
        {
            var auth = await http.AuthenticateAsync(MemberClaims.Scheme);
            if (!auth.Succeeded)
            {
                return Problems.Unauthorized();
            }

            signedIn = auth.Principal.GetMember();
        }

        return await JsonBody.ThenAsync<Ok<AuthApi.LoginResponse>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new AcceptInvitationCommand(f.Text("token"), signedIn, f.Text("name"), f.Text("password"));
            return await accept.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                AcceptInvitationResult.Accepted a => TypedResults.Ok(new AuthApi.LoginResponse(a.Token, Times.ToIso(a.ExpiresAt), a.UserId, a.Email, a.WorkspaceId, a.Role)),
                var refused => Refusal(refused),
            };
        });
    }

    /// <summary>Why an invitation could not be accepted, as a problem with a stable code.</summary>
    public static ProblemHttpResult Refusal(AcceptInvitationResult result) => result switch
    {
        AcceptInvitationResult.Invalid invalid => Problems.Validation(invalid.Errors),
        AcceptInvitationResult.NotFound => Problems.NotFound("invitation"),
        AcceptInvitationResult.Gone gone => Problems.Create(410, GoneCode(gone.Status), "Invitation no longer valid", GoneDetail(gone.Status)),
        AcceptInvitationResult.SignInRequired => Problems.Create(401, InvitationCodes.SignInRequired, "Sign in to accept",
            "the invited email has an account: sign in as that account (send its bearer token) to accept"),
        AcceptInvitationResult.WrongAccount => Problems.Create(403, InvitationCodes.WrongAccount, "Wrong account",
            "this invitation is for another email address than the one signed in"),
        AcceptInvitationResult.AlreadyMember => Problems.Conflict("you are already a member of this workspace"),
        var other => throw new UnreachableException($"unexpected {other}"),
    };

    public static string GoneCode(string status) => status switch
    {
        InvitationStatus.Accepted => InvitationCodes.Used,
        InvitationStatus.Revoked => InvitationCodes.Revoked,
        _ => InvitationCodes.Expired,
    };

    public static string GoneDetail(string status) => status switch
    {
        InvitationStatus.Accepted => "this invitation has been used already; each link works once",
        InvitationStatus.Revoked => "this invitation was revoked; ask an admin of the workspace for a new one",
        _ => "this invitation has expired; ask an admin of the workspace for a new one",
    };
}

/// <summary>The stable codes of refused invitation links.</summary>
public static class InvitationCodes
{
    public const string Expired = "invitation_expired";
    public const string Used = "invitation_used";
    public const string Revoked = "invitation_revoked";
    public const string WrongAccount = "invitation_wrong_account";
    public const string SignInRequired = "sign_in_required";
}
