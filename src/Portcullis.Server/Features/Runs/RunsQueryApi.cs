using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Runs;

/// <summary>The management read side of runs: a filtered, paged list and one run with its timeline (<see cref="RunQueries"/>).</summary>
public static class RunsQueryApi
{
    public sealed record RunPage(IReadOnlyList<RunDto> Items, string? NextCursor);

    public sealed record RunWithTimeline(RunDto Run, IReadOnlyList<TimelineEntryDto> Timeline);

    public static RouteGroupBuilder MapRunsQuery(this RouteGroupBuilder group)
    {
        group.MapGet("/runs", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/runs/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        return group;
    }

    public static async Task<Results<Ok<RunPage>, ProblemHttpResult>> List(
        HttpContext http, RunQueries runs, string? status, string? agentId, string? triggerType, string? externalRef,
        string? from, string? to, string? limit, string? cursor, string? decision)
    {
        var query = new RunListQuery(status, agentId, triggerType, externalRef, from, to, limit, cursor, decision);
        return await runs.ListAsync(http.User.GetMember().WorkspaceId, query, http.RequestAborted) switch
        {
            RunListResult.Found found => TypedResults.Ok(found.Page),
            RunListResult.Invalid invalid => Problems.Validation(invalid.Errors),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
    }

    public static async Task<Results<Ok<RunWithTimeline>, ProblemHttpResult>> Get(HttpContext http, RunQueries runs, string id) =>
        await runs.GetWithTimelineAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } run
            ? TypedResults.Ok(run)
            : Problems.NotFound($"run `{id}`");
}
