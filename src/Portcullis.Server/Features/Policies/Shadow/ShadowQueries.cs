using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies.Shadow;

/// <summary>One recorded request a shadow policy would have decided differently.</summary>
public sealed record ShadowChangeDto(string ActionRequestId, string RunId, string ActionType, string Enforced, string WouldBe, string CreatedAt);

/// <summary>A shadow policy's record over a period: the requests it matched, and those it would have changed.</summary>
public sealed record ShadowReportDto(string PolicyId, string Since, long Matched, long Changed, IReadOnlyList<ShadowChangeDto> Requests);

public sealed class ShadowQueries(Database database, TimeProvider time)
{
    public const int MaxListed = 100;

    /// <summary>How many requests each policy of the workspace would have changed since <paramref name="since"/> (policy id → count).</summary>
    public Task<Dictionary<string, long>> ChangedCountsAsync(string workspaceId, long since, CancellationToken ct) =>
        database.ReadAsync(async c => (await c.QueryAsync<(string PolicyId, long Count)>(
                """
                SELECT policy_id, COUNT(*) FROM shadow_outcomes
                WHERE workspace_id = @workspaceId AND created_at >= @since AND changed = @yes GROUP BY policy_id
                """, new { workspaceId, since, yes = true }))
            .ToDictionary(r => r.PolicyId, r => r.Count, StringComparer.Ordinal), ct);

    public Task<ShadowReportDto> ReportAsync(string workspaceId, string policyId, TimeSpan period, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            var since = time.Now() - (long)period.TotalMilliseconds;
            var args = new { workspaceId, policyId, since, yes = true, limit = MaxListed };
            const string Where = "WHERE workspace_id = @workspaceId AND policy_id = @policyId AND created_at >= @since";
            var matched = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM shadow_outcomes {Where}", args);
            var changed = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM shadow_outcomes {Where} AND changed = @yes", args);
            var rows = await c.QueryAsync<(string Id, string RunId, string ActionType, string Enforced, string WouldBe, long CreatedAt)>(
                $"""
                SELECT action_request_id, run_id, action_type, enforced, would_be, created_at FROM shadow_outcomes {Where} AND changed = @yes
                ORDER BY created_at DESC, action_request_id DESC LIMIT @limit
                """, args);
            return new ShadowReportDto(policyId, Times.ToIso(since), matched, changed,
                rows.Select(r => new ShadowChangeDto(r.Id, r.RunId, r.ActionType, r.Enforced, r.WouldBe, Times.ToIso(r.CreatedAt))).ToList());
        }, ct);

    /// <summary><c>24h</c>, <c>7d</c> or <c>30d</c>; anything else is the default week.</summary>
    public static TimeSpan Period(string? text) => text switch
    {
        "24h" => TimeSpan.FromHours(24),
        "30d" => TimeSpan.FromDays(30),
        _ => TimeSpan.FromDays(7),
    };
}
