using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary>The management read side of runs: a filtered, paged list and one run with its timeline.</summary>
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
        HttpContext http, Database database, string? status, string? agentId, string? triggerType, string? externalRef,
        string? from, string? to, string? limit, string? cursor)
    {
        var member = http.User.GetMember();
        var errors = new FieldErrors();
        var fromMs = ParseTime(from, "from", errors);
        var toMs = ParseTime(to, "to", errors);
        if (status is not null && !RunStatus.All.Contains(status))
        {
            errors.Add("status", $"must be one of {string.Join(", ", RunStatus.All.Select(s => $"`{s}`"))}");
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            errors.Add("limit", "must be between 1 and 200");
        }

        var after = RunCursor.Decode(cursor);
        if (cursor is not null && after is null)
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        await using var connection = await database.OpenAsync(http.RequestAborted);
        // One row more than the page: whether it comes back says whether another page follows.
        var rows = await RunQueries.ListAsync(connection, member.WorkspaceId,
            new RunQueries.Filter(status, agentId, triggerType, externalRef, fromMs, toMs, after, take + 1));
        var next = rows.Count > take ? RunCursor.Encode(rows[take - 1]) : null;
        return TypedResults.Ok(new RunPage(rows.Take(take).Select(r => r.ToDto()).ToList(), next));
    }

    public static async Task<Results<Ok<RunWithTimeline>, ProblemHttpResult>> Get(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        // INVARIANT: scoped by workspace; another workspace's run id is indistinguishable from an unknown one.
        var run = await RunQueries.FindAsync(connection, member.WorkspaceId, id);
        if (run is null)
        {
            return Problems.NotFound($"run `{id}`");
        }

        var entries = await RunQueries.TimelineAsync(connection, run.Id);
        return TypedResults.Ok(new RunWithTimeline(run.ToDto(), entries.Select(e => e.ToDto()).ToList()));
    }

    private static long? ParseTime(string? text, string name, FieldErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUnixTimeMilliseconds();
        }

        errors.Add(name, "must be an ISO 8601 timestamp");
        return null;
    }
}
