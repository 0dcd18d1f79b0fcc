using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Policies;
using Portcullis.Server.Features.Audit;
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
        group.MapPut("/policies/{id}", Update).RequireAuthorization(RolePolicies.Admin).Accepts<PolicyDto>("application/json");
        group.MapDelete("/policies/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<PolicyDto>>> List(HttpContext http, PolicyStore store)
    {
        var rows = await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<PolicyDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Ok<PolicyWithHistoryDto>, ProblemHttpResult>> Get(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var row = await PolicyStore.FindAsync(connection, member.WorkspaceId, id);
        return row is null
            ? Problems.NotFound($"policy `{id}`")
            : TypedResults.Ok(new PolicyWithHistoryDto(row.ToDto(), await PolicyStore.VersionsAsync(connection, id)));
    }

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
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => CreateAsync(http.User.GetMember(), body, database, audit, time, http.RequestAborted));
    }

    /// <summary>Creating a policy from a parsed body: the one path behind the API and the dashboard.</summary>
    public static async Task<Results<Created<PolicyDto>, ProblemHttpResult>> CreateAsync(
        Member member, JsonElement body, Database database, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var (input, problem) = ReadInput(body, create: true);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.Now();
        var row = ToRow(Ids.New("pol", time), 1, input!, now, now);
        var failure = await database.WriteAsync<ProblemHttpResult?>(async (c, t) =>
        {
            if (await PolicyStore.UnknownAgentsAsync(c, t, member.WorkspaceId, row.AgentIdList) is { Count: > 0 } unknown)
            {
                return Problems.Validation("agentIds", $"not agents of this workspace: {string.Join(", ", unknown.Select(u => $"`{u}`"))}");
            }

            await PolicyStore.SaveAsync(c, t, member.WorkspaceId, row, "created", member.UserId, insert: true);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "policy.created", "policy", row.Id,
                new { row.Name, row.Condition, row.Decision, row.Version });
            return null;
        }, result => result is null, ct);

        return failure ?? (Results<Created<PolicyDto>, ProblemHttpResult>)TypedResults.Created($"/api/policies/{row.Id}", row.ToDto());
    }

    public static async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> Update(
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time, string id)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => UpdateAsync(http.User.GetMember(), id, body, database, audit, time, http.RequestAborted));
    }

    /// <summary>Saving a new version of a policy from a parsed body (absent fields keep their value).</summary>
    public static async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> UpdateAsync(
        Member member, string id, JsonElement body, Database database, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var (input, problem) = ReadInput(body, create: false);
        if (problem is not null)
        {
            return problem;
        }

        PolicyRow? saved = null;
        var failure = await database.WriteAsync<ProblemHttpResult?>(async (c, t) =>
        {
            var current = await PolicyStore.FindAsync(c, member.WorkspaceId, id, t);
            if (current is null)
            {
                return Problems.NotFound($"policy `{id}`");
            }

            var merged = input!.Over(current);
            if (await PolicyStore.UnknownAgentsAsync(c, t, member.WorkspaceId, merged.AgentIds!) is { Count: > 0 } unknown)
            {
                return Problems.Validation("agentIds", $"not agents of this workspace: {string.Join(", ", unknown.Select(u => $"`{u}`"))}");
            }

            saved = ToRow(id, current.Version + 1, merged, current.CreatedAt, time.Now());
            await PolicyStore.SaveAsync(c, t, member.WorkspaceId, saved, "updated", member.UserId, insert: false);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "policy.updated", "policy", id,
                new { saved.Name, saved.Condition, saved.Decision, saved.Enabled, saved.Version });
            return null;
        }, result => result is null, ct);

        return failure ?? (Results<Ok<PolicyDto>, ProblemHttpResult>)TypedResults.Ok(saved!.ToDto());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, Database database, AuditTrail audit, TimeProvider time, string id)
    {
        var member = http.User.GetMember();
        var deleted = await database.WriteAsync(async (c, t) =>
        {
            var deleted = await PolicyStore.SoftDeleteAsync(c, t, member.WorkspaceId, id, time.Now());
            if (deleted)
            {
                await PolicyStore.BumpRevisionAsync(c, t, member.WorkspaceId);
                await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "policy.deleted", "policy", id);
            }

            return deleted;
        }, http.RequestAborted);

        return deleted ? TypedResults.NoContent() : Problems.NotFound($"policy `{id}`");
    }

    private static (PolicyInput? Input, ProblemHttpResult? Problem) ReadInput(JsonElement body, bool create)
    {
        var f = new JsonFields(body, new FieldErrors());
        var input = PolicyInput.Read(f, create);
        if (f.Errors.Any)
        {
            return (null, Problems.Validation(f.Errors));
        }

        if (input.Condition is not null && PolicyCondition.Parse(input.Condition) is { Success: false } parsed)
        {
            return (null, DiagnosticDto.Problem(parsed.Diagnostics));
        }

        return (input, null);
    }

    private static PolicyRow ToRow(string id, long version, PolicyInput input, long createdAt, long updatedAt) => new()
    {
        Id = id,
        Version = version,
        Name = input.Name!,
        Description = input.Description,
        Condition = input.Condition!,
        Decision = input.Decision!,
        Reason = input.Reason,
        Priority = input.Priority ?? 0,
        Enabled = input.Enabled ?? true,
        AgentIds = PolicyStore.AgentIdsJson(input.AgentIds),
        ApprovalsRequired = input.ApprovalsRequired ?? 1,
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };
}
