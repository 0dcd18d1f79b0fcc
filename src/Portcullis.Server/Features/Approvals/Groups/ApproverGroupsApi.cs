using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Change = Portcullis.Server.Features.Approvals.Groups.ApproverGroupStore.Change;

namespace Portcullis.Server.Features.Approvals.Groups;

/// <summary>
/// <c>/api/approver-groups</c>: list (viewer), create <c>{ name, userIds? }</c>, replace members <c>{ userIds }</c> and delete
/// (admin). A policy names a group in <c>approverGroup</c> / <c>escalateTo</c>.
/// </summary>
public static class ApproverGroupsApi
{
    public sealed record CreateRequest(string Name, IReadOnlyList<string>? UserIds);

    public sealed record MembersRequest(IReadOnlyList<string> UserIds);

    public sealed record GroupPage(IReadOnlyList<ApproverGroupDto> Items);

    public static RouteGroupBuilder Map(RouteGroupBuilder group)
    {
        group.MapGet("/approver-groups", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/approver-groups", Create).RequireAuthorization(RolePolicies.Admin).Accepts<CreateRequest>("application/json");
        group.MapPut("/approver-groups/{id}/members", ReplaceMembers).RequireAuthorization(RolePolicies.Admin).Accepts<MembersRequest>("application/json");
        group.MapDelete("/approver-groups/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Ok<GroupPage>> List(HttpContext http, ApproverGroupStore store) =>
        TypedResults.Ok(new GroupPage(await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted)));

    public static async Task<Results<Created<ApproverGroupDto>, ProblemHttpResult>> Create(
        HttpContext http, ApproverGroupStore store, IOptions<LimitsOptions> limits)
    {
        var (body, problem) = await ReadAsync(http, limits.Value, f => (Name(f), UserIds(f, required: false)));
        if (problem is not null)
        {
            return problem;
        }

        var member = http.User.GetMember();
        var (change, id) = await store.CreateAsync(member.WorkspaceId, member.UserId, body.Item1!, body.Item2, CancellationToken.None);
        return change switch
        {
            Change.NameTaken => Problems.Conflict($"an approver group named `{body.Item1}` already exists (names are compared ignoring case)"),
            Change.NotMembers => Problems.Validation("userIds", "must list members of this workspace"),
            _ => TypedResults.Created($"/api/approver-groups/{id}", await FindAsync(store, member.WorkspaceId, id!)),
        };
    }

    public static async Task<Results<Ok<ApproverGroupDto>, ProblemHttpResult>> ReplaceMembers(
        HttpContext http, string id, ApproverGroupStore store, IOptions<LimitsOptions> limits)
    {
        var (userIds, problem) = await ReadAsync(http, limits.Value, f => UserIds(f, required: true));
        if (problem is not null)
        {
            return problem;
        }

        var member = http.User.GetMember();
        return await store.ReplaceMembersAsync(member.WorkspaceId, member.UserId, id, userIds, CancellationToken.None) switch
        {
            Change.NotFound => Problems.NotFound($"approver group `{id}`"),
            Change.NotMembers => Problems.Validation("userIds", "must list members of this workspace"),
            _ => TypedResults.Ok(await FindAsync(store, member.WorkspaceId, id)),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, string id, ApproverGroupStore store)
    {
        var member = http.User.GetMember();
        return await store.DeleteAsync(member.WorkspaceId, member.UserId, id, CancellationToken.None) == Change.NotFound
            ? Problems.NotFound($"approver group `{id}`")
            : TypedResults.NoContent();
    }

    private static async Task<ApproverGroupDto> FindAsync(ApproverGroupStore store, string workspaceId, string id) =>
        (await store.ListAsync(workspaceId, CancellationToken.None)).Single(g => g.Id == id);

    private static string? Name(JsonFields f)
    {
        var name = f.String("name", required: true, maxLength: ApproverGroupNames.MaxLength);
        if (name is not null && !f.Errors.Has("name") && !ApproverGroupNames.IsValid(name))
        {
            f.Errors.Add("name", ApproverGroupNames.Rule);
        }

        return name;
    }

    private static List<string> UserIds(JsonFields f, bool required)
    {
        var ids = f.Array("userIds", required)?.EnumerateArray().ToList() ?? [];
        if (ids.Any(i => i.ValueKind != JsonValueKind.String) || ids.Count > 100)
        {
            f.Errors.Add("userIds", "must be an array of at most 100 user ids");
        }

        return ids.Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList();
    }

    private static async Task<(T Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, LimitsOptions limits, Func<JsonFields, T> read)
    {
        var body = await JsonBody.ReadAsync(http.Request, limits.MaxBodyBytes, http.RequestAborted);
        if (body.Problem is not null)
        {
            return (default!, body.Problem);
        }

        using var document = body.Document!;
        var fields = new JsonFields(document.RootElement, new FieldErrors());
        var value = read(fields);
        return fields.Errors.Any ? (default!, Problems.Validation(fields.Errors)) : (value, null);
    }
}
