using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>
/// The <c>jobs</c> table: one row per side effect that leaves Portcullis. A job is written in the transaction that decides
/// its side effect, held by one instance at a time through a lease, and completed in the transaction that records its result.
/// </summary>
public sealed class JobStore(Database database, JobInstance instance, JobLeases leases, IOptions<JobOptions> options, TimeProvider time)
{
    private long LeaseUntil(long now) => now + (long)options.Value.Lease.TotalMilliseconds;

    /// <summary>
    /// Writes a job already claimed by this instance, inside the caller's transaction: the caller runs it right after the
    /// commit (no worker hop, so latency does not grow), and if this process dies first the lease runs out and another
    /// claim picks it up. The work counts as started.
    /// </summary>
    public async Task<ClaimedJob> InsertClaimedAsync(DbConnection c, DbTransaction t, string workspaceId, string kind, string subjectId)
    {
        var now = time.Now();
        var id = Ids.New("job", time);
        // Nothing reads the job back in the transaction that writes it (its holder runs it once committed): on PostgreSQL it
        // rides with the transaction's next statement or its COMMIT.
        await PipelinedWrites.ExecuteAsync(c, t,
            """
            INSERT INTO jobs (id, workspace_id, kind, subject_id, status, attempts, lease_owner, next_at, created_at, completed_at)
            VALUES (@id, @workspaceId, @kind, @subjectId, 'running', 1, @owner, @leaseUntil, @now, NULL)
            """,
            ("id", id), ("workspaceId", workspaceId), ("kind", kind), ("subjectId", subjectId), ("owner", instance.Id),
            ("leaseUntil", LeaseUntil(now)), ("now", now));
        return new ClaimedJob(id, workspaceId, kind, subjectId, StartedBefore: 0);
    }

    /// <summary>Queues a job for the worker (or queues it again, for an operator's retry), inside the caller's transaction.</summary>
    public Task EnqueueAsync(DbConnection c, DbTransaction t, string workspaceId, string kind, string subjectId, long runAfter) =>
        c.ExecuteAsync(
            """
            INSERT INTO jobs (id, workspace_id, kind, subject_id, status, attempts, lease_owner, next_at, created_at, completed_at)
            VALUES (@id, @workspaceId, @kind, @subjectId, 'pending', 0, NULL, @runAfter, @now, NULL)
            ON CONFLICT (kind, subject_id) DO UPDATE SET status = 'pending', attempts = 0, lease_owner = NULL, next_at = @runAfter, completed_at = NULL
            """,
            new { id = Ids.New("job", time), workspaceId, kind, subjectId, runAfter, now = time.Now() }, t);

    /// <summary>
    /// Pending jobs whose time has come and running jobs whose lease ran out, oldest first. Every instance asks twice a
    /// second, so it reads on a pooled connection: a fresh SQLite connection parses the whole schema first.
    /// </summary>
    public async Task<IReadOnlyList<JobRow>> FindDueAsync(CancellationToken ct)
    {
        var now = time.Now();
        var rows = await database.ReadAsync(c => c.QueryAsync<JobRow>(
            """
            SELECT id AS Id, workspace_id AS WorkspaceId, kind AS Kind, subject_id AS SubjectId, status AS Status, attempts AS Attempts,
                   lease_owner AS LeaseOwner, next_at AS NextAt
            FROM jobs WHERE status IN ('pending', 'running') AND next_at <= @now ORDER BY next_at LIMIT @limit
            """, new { now, limit = options.Value.BatchSize }), ct);
        return rows.AsList();
    }

    /// <summary>
    /// Takes a due job. INVARIANT: one holder at a time — the update is guarded by the state the caller saw, so when
    /// several instances race for the same job, rows affected elects exactly one.
    /// </summary>
    public async Task<ClaimedJob?> TryClaimAsync(JobRow due, CancellationToken ct)
    {
        var won = await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = @owner, next_at = @leaseUntil
            WHERE id = @Id AND status = @Status AND next_at = @NextAt
            """, new { owner = instance.Id, leaseUntil = LeaseUntil(time.Now()), due.Id, due.Status, due.NextAt }, t), ct);
        return won == 1 ? new ClaimedJob(due.Id, due.WorkspaceId, due.Kind, due.SubjectId, due.Attempts) : null;
    }

    /// <summary>
    /// Marks a held job done inside the transaction that records its result. False when this instance no longer holds the
    /// lease (another claimed it after this one stalled): the caller must then roll back and record nothing.
    /// </summary>
    public async Task<bool> CompleteAsync(DbConnection c, DbTransaction t, ClaimedJob job) =>
        await PreparedSql.ExecuteAsync(c, t,
            "UPDATE jobs SET status = 'done', completed_at = @now WHERE id = @id AND status = 'running' AND lease_owner = @owner",
            ("now", time.Now()), ("id", job.Id), ("owner", instance.Id)) == 1;

    /// <summary>
    /// Inside a transaction that records progress of a held job without ending it: true (and the lease extended) while this
    /// instance still holds it; false when another took it over, and the caller must roll back.
    /// </summary>
    public async Task<bool> TouchAsync(DbConnection c, DbTransaction t, ClaimedJob job) =>
        await PreparedSql.ExecuteAsync(c, t,
            "UPDATE jobs SET next_at = @leaseUntil WHERE id = @id AND status = 'running' AND lease_owner = @owner",
            ("leaseUntil", LeaseUntil(time.Now())), ("id", job.Id), ("owner", instance.Id)) == 1;

    /// <summary>Gives a held job back to the queue, due at <paramref name="runAfter"/>; false when this instance no longer held it.</summary>
    public async Task<bool> RescheduleAsync(DbConnection c, DbTransaction t, ClaimedJob job, long runAfter) =>
        await PreparedSql.ExecuteAsync(c, t,
            "UPDATE jobs SET status = 'pending', attempts = 0, lease_owner = NULL, next_at = @runAfter WHERE id = @id AND status = 'running' AND lease_owner = @owner",
            ("runAfter", runAfter), ("id", job.Id), ("owner", instance.Id)) == 1;

    /// <summary>Extends the leases of the jobs this instance is working on right now.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        var ids = leases.Snapshot();
        if (ids.Count == 0)
        {
            return;
        }

        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE jobs SET next_at = @leaseUntil WHERE status = 'running' AND lease_owner = @owner AND id IN @ids",
            new { leaseUntil = LeaseUntil(time.Now()), owner = instance.Id, ids }, t), ct);
    }
}
