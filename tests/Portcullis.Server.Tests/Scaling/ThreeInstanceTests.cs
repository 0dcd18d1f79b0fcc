using System.Net;
using Dapper;
using Npgsql;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Recovery;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>
/// Three real server processes on one PostgreSQL, under mixed load at once: allowed actions (each sent twice, to two
/// instances, under one idempotency key), approvals decided on two instances at the same moment, approval callbacks,
/// workflow runs long-polled on another instance than the one that started them, and event ingest. Everything happens
/// exactly once: no action executed twice, no approval decided twice, no callback delivered twice, no event lost.
/// </summary>
public sealed class ThreeInstanceTests
{
    private const int Actions = 60;
    private const int Approvals = 12;
    private const int Workflows = 12;
    private const int IngestRuns = 6;
    private const int Batches = 10;
    private const int PerBatch = 20;

    [Fact]
    public async Task Three_instances_under_mixed_load_execute_decide_deliver_and_record_everything_exactly_once()
    {
        await using var receiver = await CrashRecoveryTests.ReceiverAsync(holdFor: TimeSpan.Zero);
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var cluster = await Cluster.StartAsync(database, 3, receiver.BaseUrl);
        var load = await ClusterLoad.PrepareAsync(cluster, receiver.BaseUrl);

        var actions = load.RequestActionsTwiceAsync(Actions);
        var approvals = load.DecideApprovalsOnTwoInstancesAsync(Approvals);
        var workflows = load.RunWorkflowsAsync(Workflows);
        var ingest = load.IngestAsync(IngestRuns, Batches, PerBatch);
        await Task.WhenAll(actions, approvals, workflows, ingest);
        var decisions = await approvals;

        // Every approval: one decision won, the one racing it on another instance was told it was already decided.
        Assert.Equal(Approvals, decisions.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Approvals, decisions.Count(s => s == HttpStatusCode.Conflict));
        await CrashRecoveryTests.WaitUntilAsync(() => Enumerable.Range(0, Approvals).All(i => receiver.To($"/cb/{i}").Count > 0), TimeSpan.FromSeconds(60));
        await CrashRecoveryTests.WaitUntilAsync(async () => await CrashRecoveryTests.CountExecutingAsync(database) == 0, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a duplicate delivery would arrive within the callback poll interval

        for (var i = 0; i < Actions; i++)
        {
            Assert.Single(receiver.To($"/act/{i}"));
        }

        for (var i = 0; i < Approvals; i++)
        {
            Assert.Single(receiver.To($"/cb/{i}"));
            Assert.Single(receiver.To("/api/chat.postMessage"), r => r.Body.Contains($"approved {i}\"", StringComparison.Ordinal));
        }

        for (var n = 0; n < Workflows; n++)
        {
            Assert.Single(receiver.To($"/wf/{n}"));
        }

        await using var c = new NpgsqlConnection(database.ConnectionString);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT action_request_id FROM executions GROUP BY action_request_id HAVING COUNT(*) > 1) twice"));
        Assert.Equal(Actions, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM action_requests WHERE idempotency_key LIKE 'act-%'"));
        Assert.Equal(Actions + Approvals + Workflows, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE status = 'executed'"));
        Assert.Equal(Approvals, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE action = 'approval.approved'"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM approvals WHERE status <> 'approved'"));
        Assert.Equal(Workflows, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_runs WHERE status = 'completed'"));
        Assert.Equal(IngestRuns * Batches * PerBatch, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_entries WHERE event_type = 'load.tick'"));

        // The work was shared: each instance ran some of the durable jobs.
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT lease_owner) FROM jobs WHERE lease_owner IS NOT NULL") >= 2);
    }
}
