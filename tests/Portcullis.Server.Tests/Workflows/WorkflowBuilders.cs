using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>Workflows for tests: a refund, a note that reads the refund's output, and a Slack message only for large refunds.</summary>
public static class WorkflowBuilders
{
    public static object RefundFlow(string name = "Refund flow") => new
    {
        name,
        description = "refund, note it, tell the team when large",
        steps = new object[]
        {
            new
            {
                id = "refund", name = "Refund the charge", actionType = "refund.create",
                input = new { charge = "{{trigger.input.charge}}", amount = "{{trigger.input.amount}}", reason = "requested_by_customer" },
            },
            new
            {
                id = "note", actionType = "crm.note",
                input = new { text = "Refunded {{steps.refund.output.id}} ({{trigger.input.amount}} cents) in {{run.id}}", refund = "{{steps.refund.output.id}}" },
            },
            new
            {
                id = "notify", actionType = "slack.post_message", when = "trigger.input.amount > 5000",
                input = new { channel = "#refunds", text = "{{agent.name}} refunded {{trigger.input.amount}} in {{workflow.name}}" },
            },
        },
    };

    public static async Task<JsonElement> CreateWorkflowAsync(this TestWorkspace ws, object definition)
    {
        var response = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", definition);
        await response.AssertStatus(HttpStatusCode.Created);
        return await response.Json();
    }

    public static async Task<string> StartWorkflowAsync(this TestWorkspace ws, string workflowId, object input, HttpClient? client = null)
    {
        var response = await (client ?? ws.Agent()).PostJson($"/api/workflows/{workflowId}/runs", new { input });
        await response.AssertStatus(HttpStatusCode.Accepted);
        return (await response.Json()).GetProperty("workflowRunId").GetString()!;
    }

    /// <summary>Long-polls until the run is no longer <c>running</c>.</summary>
    public static async Task<JsonElement> WaitWorkflowRunAsync(this TestWorkspace ws, string workflowRunId, int seconds = 10)
    {
        var response = await ws.Agent().GetAsync($"/api/workflow-runs/{workflowRunId}?waitSeconds={seconds}");
        await response.AssertStatus(HttpStatusCode.OK);
        var run = await response.Json();
        if (run.Str("status") == "running")
        {
            // Still running after the whole wait: the runner is stuck, and the server's log says why.
            var errors = HttpExtensions.Sinks.SelectMany(s => s.Lines).Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warn", StringComparison.Ordinal));
            throw new Xunit.Sdk.XunitException($"still running after {seconds} s: {run}\n{string.Join('\n', errors.Take(3))}");
        }

        return run;
    }

    public static JsonElement Step(this JsonElement run, string id) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    public static string Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.GetString()! : throw new Xunit.Sdk.XunitException($"no `{name}` in {e}");
}
