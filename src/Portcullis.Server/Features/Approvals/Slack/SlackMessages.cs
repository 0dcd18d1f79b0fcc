using System.Data.Common;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>A row of <c>slack_messages</c>: where an approval's message is, and how its last send went.</summary>
public sealed class SlackMessageRow
{
    public const string Posted = "posted";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Unknown = "unknown";

    public string ApprovalId { get; init; } = "";
    public string State { get; init; } = "";
    public string? Channel { get; init; }
    public string? Ts { get; init; }
    public long Attempts { get; init; }
}

/// <summary>Reads what a Slack job needs (the approval as approvers see it, who decided it, its message) and records sends.</summary>
public sealed class SlackMessages(Database database, ApprovalQueries queries, TimeProvider time)
{
    /// <summary>The approval, the name of whoever made its final decision, and the channel its policies chose (null: the default).</summary>
    public sealed record Subject(ApprovalDetailDto Approval, string? DecidedByName, string? PolicyChannel);

    public async Task<Subject?> SubjectAsync(string approvalId, string workspaceId, CancellationToken ct)
    {
        if (await queries.FindAsync(approvalId, workspaceId, ct) is not { } row)
        {
            return null;
        }

        var detail = await queries.DetailAsync(row, ct);
        await using var c = await database.OpenAsync(ct);
        var extra = await c.QueryFirstAsync<(string? Name, string? Channel)>(
            "SELECT u.name, a.slack_channel FROM approvals a LEFT JOIN users u ON u.id = a.decided_by WHERE a.id = @approvalId", new { approvalId });
        return new(detail, extra.Name, extra.Channel);
    }

    public async Task<SlackMessageRow?> FindAsync(string approvalId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<SlackMessageRow>(
            "SELECT approval_id AS ApprovalId, state AS State, channel AS Channel, ts AS Ts, attempts AS Attempts FROM slack_messages WHERE approval_id = @approvalId",
            new { approvalId });
    }

    /// <summary>Whether a job of <paramref name="kind"/> for the approval is still to run (queued or held).</summary>
    public async Task<bool> JobOpenAsync(string kind, string approvalId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM jobs WHERE kind = @kind AND subject_id = @approvalId AND status IN ('pending', 'running')", new { kind, approvalId }) > 0;
    }

    /// <summary>Records the state of the approval's message (with where it is, once posted) inside the caller's transaction.</summary>
    public Task RecordAsync(DbConnection c, DbTransaction t, string approvalId, string workspaceId, string state, long attempts, string? error,
        string? channel = null, string? ts = null) =>
        c.ExecuteAsync(
            """
            INSERT INTO slack_messages (approval_id, workspace_id, state, channel, ts, attempts, last_error, posted_at, updated_at)
            VALUES (@approvalId, @workspaceId, @state, @channel, @ts, @attempts, @error, @postedAt, @now)
            ON CONFLICT (approval_id) DO UPDATE SET state = @state, channel = COALESCE(@channel, slack_messages.channel),
                ts = COALESCE(@ts, slack_messages.ts), attempts = @attempts, last_error = @error,
                posted_at = COALESCE(slack_messages.posted_at, @postedAt), updated_at = @now
            """,
            new { approvalId, workspaceId, state, channel, ts, attempts, error, postedAt = ts is null ? (long?)null : Now(), now = Now() }, t);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
