using System.Diagnostics;
using System.Net;
using Portcullis.Server.Tests.Credentials;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>The spans of a governed action, after the GenAI semantic conventions, in the agent's own trace.</summary>
public abstract class TraceTests(TracingServer server)
{
    [Fact]
    public async Task An_executed_action_is_a_guardrail_span_and_a_tool_span_with_the_http_call_inside_the_agents_trace()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync();
        var runId = await ws.StartRunAsync();
        var (traceId, parentSpanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var answer = await RequestTracedAsync(ws, ActionBuilders.Refund(runId), traceId, parentSpanId);
        var spans = await server.SpansAsync(traceId, s => s.Any(IsRequest));

        var request = Assert.Single(spans, IsRequest);
        Assert.Equal(parentSpanId, request.ParentSpanId);
        var guardrail = Assert.Single(spans, a => a.OperationName == "apply_guardrail refund.create");
        Assert.Equal(request.SpanId, guardrail.ParentSpanId);
        Assert.Equal("apply_guardrail", guardrail.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("allow", guardrail.GetTagItem("portcullis.decision"));
        Assert.Equal(answer.GetProperty("policyRevision").GetInt64(), guardrail.GetTagItem("portcullis.policy.revision"));
        Assert.Equal(0, guardrail.GetTagItem("portcullis.shadow.outcome_count"));

        var tool = Assert.Single(spans, a => a.OperationName == "execute_tool refund.create");
        Assert.Equal(request.SpanId, tool.ParentSpanId);
        Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("refund.create", tool.GetTagItem("gen_ai.tool.name"));
        Assert.Equal(ws.AgentId, tool.GetTagItem("gen_ai.agent.id"));
        Assert.Equal("agent-one", tool.GetTagItem("gen_ai.agent.name"));
        Assert.Equal("stripe", tool.GetTagItem("portcullis.provider"));
        Assert.Equal("executed", tool.GetTagItem("portcullis.execution.status"));
        var call = Assert.Single(spans, a => a.Kind == ActivityKind.Client && a.ParentSpanId == tool.SpanId);
        Assert.Contains("/v1/refunds", call.GetTagItem("url.full") as string);
        AssertNoPayloadOrSecret(spans);
    }

    [Fact]
    public async Task A_decision_made_on_the_storage_writer_stays_in_the_request_trace()
    {
        var ws = await server.NewWorkspaceAsync();
        // A velocity policy: the figures are read and the decision made inside the write (on SQLite, the writer's thread).
        await ws.CreatePolicyAsync("burst", "COUNT(LAST 1h PER workspace) >= 1000", "block", "too many");
        var runId = await ws.StartRunAsync();
        var traceId = ActivityTraceId.CreateRandom();

        await RequestTracedAsync(ws, ActionBuilders.Refund(runId), traceId, ActivitySpanId.CreateRandom());
        var spans = await server.SpansAsync(traceId, s => s.Any(IsRequest));

        var request = Assert.Single(spans, IsRequest);
        var guardrail = Assert.Single(spans, a => a.OperationName == "apply_guardrail refund.create");
        Assert.Equal(request.SpanId, guardrail.ParentSpanId);
        var policyIds = Assert.IsType<string[]>(guardrail.GetTagItem("gen_ai.security.policy.id"));
        Assert.Empty(policyIds);
    }

    [Fact]
    public async Task A_blocked_action_names_the_matched_policy_and_has_no_tool_span()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block");
        var runId = await ws.StartRunAsync();
        var traceId = ActivityTraceId.CreateRandom();

        var answer = await RequestTracedAsync(ws, ActionBuilders.Refund(runId), traceId, ActivitySpanId.CreateRandom());
        var spans = await server.SpansAsync(traceId, s => s.Any(IsRequest));

        var guardrail = Assert.Single(spans, a => a.OperationName == "apply_guardrail refund.create");
        Assert.Equal("block", guardrail.GetTagItem("portcullis.decision"));
        Assert.Equal("deny", guardrail.GetTagItem("gen_ai.security.decision.type"));
        var matched = answer.GetProperty("matchedPolicies")[0].GetProperty("id").GetString()!;
        Assert.Equal(new[] { matched }, Assert.IsType<string[]>(guardrail.GetTagItem("gen_ai.security.policy.id")));
        Assert.DoesNotContain(spans, a => a.OperationName.StartsWith("execute_tool", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approved_action_runs_in_the_approvers_trace_linked_to_the_trace_that_opened_the_run()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.ConnectStripeAsync();
        await ws.CreatePolicyAsync("hold refunds", "action_type = refund.create", "require_approval");
        var runTrace = ActivityTraceId.CreateRandom();
        var agent = ws.Agent();
        agent.DefaultRequestHeaders.Add("traceparent", $"00-{runTrace}-{ActivitySpanId.CreateRandom()}-01");
        var runId = (await (await agent.PostJson("/api/ingest/run-start", new { triggerType = "traced" })).Json()).GetProperty("runId").GetString()!;
        var approvalId = (await (await agent.PostJson("/api/actions/request", ActionBuilders.Refund(runId))).Json())
            .GetProperty("approvalRequestId").GetString()!;

        var approverTrace = ActivityTraceId.CreateRandom();
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        approver.DefaultRequestHeaders.Add("traceparent", $"00-{approverTrace}-{ActivitySpanId.CreateRandom()}-01");
        await (await approver.PostJson($"/api/approvals/{approvalId}/approve", new { comment = "ok" })).AssertStatus(HttpStatusCode.OK);
        var spans = await server.SpansAsync(approverTrace, s => s.Any(a => a.Kind == ActivityKind.Server && a.DisplayName.Contains("approve")));

        var resume = Assert.Single(spans, a => a.DisplayName == "approval_resume refund.create");
        Assert.Contains(resume.Links, l => l.Context.TraceId == runTrace);
        Assert.Equal(runId, resume.GetTagItem("portcullis.run.id"));
        var tool = Assert.Single(spans, a => a.OperationName == "execute_tool refund.create");
        Assert.Equal(resume.SpanId, tool.ParentSpanId);
        Assert.Equal("agent-one", tool.GetTagItem("gen_ai.agent.name")); // the approved call names its agent like a direct one
        var decided = Assert.Single(spans.SelectMany(s => s.Events), e => e.Name == "portcullis.approval.decided");
        Assert.Equal("approved", decided.Tags.First(t => t.Key == "portcullis.approval.outcome").Value);
    }

    // The fake Stripe is an ASP.NET Core server in this process too: its span (the trace carried on) is not the agent's request.
    private static bool IsRequest(Activity a) => a.Kind == ActivityKind.Server && a.DisplayName == "POST /api/actions/request";

    private static async Task<System.Text.Json.JsonElement> RequestTracedAsync(TestWorkspace ws, object body, ActivityTraceId traceId, ActivitySpanId parent)
    {
        var client = ws.Agent();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{parent}-01");
        var response = await client.PostJson("/api/actions/request", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    // INVARIANT under test: attributes carry ids, names and decisions, never what the agent sent or the credential.
    private static void AssertNoPayloadOrSecret(IEnumerable<Activity> spans)
    {
        foreach (var (key, value) in spans.SelectMany(s => s.TagObjects))
        {
            var text = value is string[] many ? string.Join(",", many) : value?.ToString() ?? "";
            Assert.DoesNotContain(FakeStripe.GoodKey, text, StringComparison.Ordinal);
            Assert.False(text.Contains("requested_by_customer", StringComparison.Ordinal) || text.Contains("premium", StringComparison.Ordinal),
                $"span attribute {key} carries a payload or evidence value: {text}");
        }
    }
}

public sealed class TraceSqliteTests(TracingSqliteServer server) : TraceTests(server), IClassFixture<TracingSqliteServer>;

public sealed class TracePostgresTests(TracingPostgresServer server) : TraceTests(server), IClassFixture<TracingPostgresServer>;
