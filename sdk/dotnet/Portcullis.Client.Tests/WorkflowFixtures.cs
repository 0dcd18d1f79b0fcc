namespace Portcullis.Client.Tests;

/// <summary>Workflow runs as the server writes them, nulls included.</summary>
internal static class WorkflowFixtures
{
    public static Dictionary<string, object?> Started() =>
        new() { ["workflowRunId"] = "wfr_1", ["runId"] = "run_1", ["status"] = "running" };

    /// <summary>A looked-up order and a refund: by default the refund waits for approval <c>apr_1</c>.</summary>
    public static Dictionary<string, object?> Run(string status = "awaiting_approval") => new()
    {
        ["id"] = "wfr_1",
        ["workflowId"] = "wf_1",
        ["workflowName"] = "Refund flow",
        ["version"] = 3,
        ["runId"] = "run_1",
        ["status"] = status,
        ["input"] = new { orderId = "ord_1" },
        ["error"] = status == "failed" ? new { code = "template_unresolved", message = "no `steps.lookup.output.charge`", stepId = "refund" } : null,
        ["createdAt"] = "2026-12-03T10:00:00.000Z",
        ["completedAt"] = status is "running" or "awaiting_approval" ? null : "2026-12-03T10:01:00.000Z",
        ["steps"] = new object[]
        {
            Step("lookup", "http.request", "completed", "act_1", "allow", null, new { status = 200 }),
            Step("refund", "refund.create", "awaiting_approval", "act_2", "require_approval", "apr_1", null),
        },
    };

    private static Dictionary<string, object?> Step(
        string id, string actionType, string status, string actionRequestId, string decision, string? approvalRequestId, object? output) => new()
        {
            ["id"] = id,
            ["name"] = $"step {id}",
            ["actionType"] = actionType,
            ["status"] = status,
            ["actionRequestId"] = actionRequestId,
            ["decision"] = decision,
            ["approvalRequestId"] = approvalRequestId,
            ["input"] = new { orderId = "ord_1" },
            ["output"] = output,
            ["error"] = null,
            ["startedAt"] = "2026-12-03T10:00:00.100Z",
            ["completedAt"] = output is null ? null : "2026-12-03T10:00:00.300Z",
        };
}
