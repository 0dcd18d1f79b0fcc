using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Live;

/// <summary>
/// <c>GET /dashboard/runs/{id}/live?after={lastId}</c>: a run's new timeline entries as Server-Sent Events,
/// read from the database whenever the change feed says the run changed, so it works the same behind any instance of a cluster.
/// Events: <c>entry</c> (a rendered row), <c>status</c> (the run's status, label and badge class as JSON), <c>end</c> (the run has ended).
/// </summary>
public static class RunStream
{
    private const int Batch = 200;

    public static async Task<IResult> Handle(
        HttpContext http, Database database, IChangeFeed changes, TimeProvider time, IHostApplicationLifetime lifetime, string id, long? after)
    {
        var member = http.User.GetMember();
        string? status;
        await using (var connection = await database.OpenAsync(http.RequestAborted))
        {
            status = await connection.QueryFirstOrDefaultAsync<string>(
                "SELECT status FROM runs WHERE id = @id AND workspace_id = @ws", new { id, ws = member.WorkspaceId });
        }

        if (status is null)
        {
            return Problems.NotFound($"run `{id}`");
        }

        // A reconnecting EventSource says where it got to.
        var last = long.TryParse(http.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var resumed)
            ? Math.Max(resumed, after ?? 0)
            : after ?? 0;
        var live = new Live(database, changes, time, member.WorkspaceId, id);
        return TypedResults.ServerSentEvents(StreamAsync(live, last, status, LiveLoop.Link(http, lifetime)));
    }

    private sealed record Live(Database Database, IChangeFeed Changes, TimeProvider Time, string WorkspaceId, string RunId);

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(Live live, long after, string status, CancellationTokenSource stop,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var _ = stop;
        var (database, workspaceId, runId) = (live.Database, live.WorkspaceId, live.RunId);
        while (true)
        {
            // Watch before reading, so an entry committed meanwhile still wakes the stream.
            using var watch = live.Changes.Watch(ChangeTopics.Run, runId);
            List<LiveRow> rows;
            string current;
            // Short reads that are not cancelled midway: the loop itself stops between polls.
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                rows = (await connection.QueryAsync<LiveRow>(
                    $"SELECT {TimelineEntryRow.Columns}, sort_seq AS SortSeq FROM timeline_entries WHERE run_id = @runId AND workspace_id = @workspaceId AND id > @after ORDER BY id LIMIT {Batch}",
                    new { runId, workspaceId, after })).ToList();
                current = await connection.QueryFirstAsync<string>("SELECT status FROM runs WHERE id = @runId", new { runId });
            }

            foreach (var row in rows)
            {
                after = row.Id;
                yield return new SseItem<string>(TimelineHtml.Entry(row.ToDto(), row.SortSeq), "entry") { EventId = row.Id.ToString(CultureInfo.InvariantCulture) };
            }

            if (current != status)
            {
                status = current;
                yield return new SseItem<string>(JsonSerializer.Serialize(new { status, label = Fmt.Label(status), css = Fmt.Badge(status) }), "status");
            }

            if (!RunStatus.IsOpen(status) && rows.Count < Batch)
            {
                yield return new SseItem<string>(status, "end");
                yield break;
            }

            if (rows.Count < Batch && !await LiveLoop.WaitAsync(watch, live.Time, stop.Token))
            {
                yield break;
            }
        }
    }

    private sealed class LiveRow
    {
        public long Id { get; init; }
        public long? SequenceNo { get; init; }
        public string Source { get; init; } = "";
        public string EventType { get; init; } = "";
        public string? Payload { get; init; }
        public long OccurredAt { get; init; }
        public long RecordedAt { get; init; }
        public long SortSeq { get; init; }

        public TimelineEntryDto ToDto() => new TimelineEntryRow
        {
            Id = Id,
            SequenceNo = SequenceNo,
            Source = Source,
            EventType = EventType,
            Payload = Payload,
            OccurredAt = OccurredAt,
            RecordedAt = RecordedAt,
        }.ToDto();
    }
}
