using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Policies;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies;

/// <summary>Policy management: <c>/api/policies…</c>. Every save is a new version; conditions are checked before storing.</summary>
public static class PoliciesApi
{
    public sealed record CheckRequest(string Condition);

    public sealed record CheckResponse(bool Valid, IReadOnlyList<DiagnosticDto> Diagnostics);

    public static RouteGroupBuilder MapPolicies(this RouteGroupBuilder group)
    {
        group.MapGet("/policies", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/policies", Create).RequireAuthorization(RolePolicies.Admin).Accepts<PolicyDto>("application/json");
        group.MapPost("/policies/check", Check).RequireAuthorization(RolePolicies.Viewer).Accepts<CheckRequest>("application/json");
        group.MapPost("/policies/simulate", PolicySimulation.Handle).RequireAuthorization(RolePolicies.Viewer).Accepts<PolicySimulation.Request>("application/json");
        group.MapGet("/policies/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/policies/{id}/shadow", Shadow.ShadowApi.Report).RequireAuthorization(RolePolicies.Viewer);
        group.MapPut("/policies/{id}", Update).RequireAuthorization(RolePolicies.Admin).Accepts<PolicyDto>("application/json");
        group.MapDelete("/policies/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<PolicyDto>>> List(HttpContext http, PolicyStore store)
    {
        var rows = await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<PolicyDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Ok<PolicyWithHistoryDto>, ProblemHttpResult>> Get(HttpContext http, PolicyStore store, string id) =>
        await store.GetWithHistoryAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } found
            ? TypedResults.Ok(found)
            : Problems.NotFound($"policy `{id}`");

    public static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> Check(HttpContext http, IOptions<LimitsOptions> limits)
    {
        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var f = new JsonFields(body.RootElement, new FieldErrors());
        var condition = f.String("condition", required: true, maxLength: PolicyInput.MaxConditionLength);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        var parsed = PolicyCondition.Parse(condition!);
        return TypedResults.Ok(new CheckResponse(parsed.Success, parsed.Diagnostics.Select(DiagnosticDto.From).ToList()));
    }

    public static async Task<Results<Created<PolicyDto>, ProblemHttpResult>> Create(
        HttpContext http, CreatePolicy createPolicy, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Created<PolicyDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var fields = new JsonFields(body, new FieldErrors());
            var command = new CreatePolicyCommand(http.User.GetMember(), PolicyInput.ReadTypes(fields));
            return await createPolicy.ExecuteAsync(command, fields.Errors, http.RequestAborted) switch
            {
                SavePolicyResult.Saved saved => TypedResults.Created($"/api/policies/{saved.Policy.Id}", saved.Policy),
                var refused => Problem(refused),
            };
        });
    }

    public static async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> Update(
        HttpContext http, UpdatePolicy updatePolicy, IOptions<LimitsOptions> limits, string id)
    {
        return await JsonBody.ThenAsync<Ok<PolicyDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var fields = new JsonFields(body, new FieldErrors());
            var command = new UpdatePolicyCommand(http.User.GetMember(), id, PolicyInput.ReadTypes(fields));
            return await updatePolicy.ExecuteAsync(command, fields.Errors, http.RequestAborted) switch
            {
                SavePolicyResult.Saved saved => TypedResults.Ok(saved.Policy),
                var refused => Problem(refused),
            };
        });
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, DeletePolicy delete, string id) =>
        await delete.ExecuteAsync(new DeletePolicyCommand(http.User.GetMember(), id), http.RequestAborted) switch
        {
            DeletePolicyResult.Deleted => TypedResults.NoContent(),
            DeletePolicyResult.NotFound missing => Problems.NotFound($"policy `{missing.PolicyId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    private static ProblemHttpResult Problem(SavePolicyResult refused) => refused switch
    {
        SavePolicyResult.Invalid invalid => Problems.Validation(invalid.Errors),
        SavePolicyResult.InvalidCondition condition => DiagnosticDto.Problem(condition.Diagnostics),
        SavePolicyResult.NotFound missing => Problems.NotFound($"policy `{missing.PolicyId}`"),
        _ => throw new UnreachableException($"{refused} is not a refusal"),
    };
}
