using System.Net;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>The read side the dashboard's pages call directly: the same answers, and the same refusals, as the API's GETs.</summary>
public abstract class QueryTests(ServerFixture server)
{
    [Fact]
    public async Task A_bad_runs_filter_names_the_same_fields_for_the_page_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();

        var result = await server.Service<RunQueries>().ListAsync(ws.WorkspaceId!, new RunListQuery(Status: "lost", From: "yesterday", Limit: "0", Cursor: "nope"), default);

        var errors = Assert.IsType<RunListResult.Invalid>(result).Errors.ToDictionary();
        var wire = (await (await ws.Owner().GetAsync("/api/runs?status=lost&from=yesterday&limit=0&cursor=nope"))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["cursor", "from", "limit", "status"], errors.Keys.Order());
        Assert.Equal(errors.Keys.Order(), wire.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_run_of_another_workspace_is_not_found_and_ones_own_comes_with_its_timeline()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var runs = server.Service<RunQueries>();

        var own = await runs.GetWithTimelineAsync(ws.WorkspaceId!, runId, default);
        var foreign = await runs.GetWithTimelineAsync(other.WorkspaceId!, runId, default);

        Assert.Equal(runId, own!.Run.RunId);
        Assert.Null(foreign);
        Assert.Equal(own.Timeline.Count, (await ws.RunAsync(runId)).GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task Keys_of_an_unknown_agent_are_null_not_an_empty_list()
    {
        var ws = await server.NewWorkspaceAsync();
        var agents = server.Service<AgentQueries>();

        Assert.Null(await agents.ListKeysAsync(ws.WorkspaceId!, "agt_nope", default));
        Assert.NotNull(await agents.ListKeysAsync(ws.WorkspaceId!, ws.AgentId!, default));
        Assert.Null(await agents.GetAsync(ws.WorkspaceId!, "agt_nope", default));
        await (await ws.Owner().GetAsync("/api/agents/agt_nope/keys")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_audit_action_with_a_wildcard_inside_is_refused_for_the_page_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();

        var result = await server.Service<AuditQueries>().ListAsync(ws.WorkspaceId!, new AuditListQuery(Action: "policy%.*", Before: "0"), default);

        Assert.Equal(["action", "before"], Assert.IsType<AuditListResult.Invalid>(result).Errors.ToDictionary().Keys.Order());
        await (await ws.Owner().GetAsync("/api/audit?action=policy%25.*&before=0")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class QuerySqliteTests(SqliteServer s) : QueryTests(s), IClassFixture<SqliteServer>;

public sealed class QueryPostgresTests(PostgresServer s) : QueryTests(s), IClassFixture<PostgresServer>;
