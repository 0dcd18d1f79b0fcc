using System.Diagnostics;
using System.Text.Json;
using Portcullis.Client;

namespace WorkflowRunner;

/// <summary>
/// Starts a workflow run and waits for it; while a step waits for a human, prints the approval id,
/// waits for that approval and then for the run again, all within one time budget.
/// </summary>
internal sealed class WorkflowWatch(PortcullisClient portcullis, Uri dashboard, TimeSpan timeout)
{
    /// <summary>Between an approval's decision and the run going on, the server needs a moment.</summary>
    private static readonly TimeSpan ResumePause = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    private readonly long _started = Stopwatch.GetTimestamp();

    private TimeSpan Left
    {
        get
        {
            var left = timeout - Stopwatch.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public async Task<int> RunAsync(string workflowId, JsonElement input, CancellationToken ct = default)
    {
        var started = await portcullis.RunWorkflowAsync(workflowId, input, cancellationToken: ct);
        Console.WriteLine($"workflow run started: {started.WorkflowRunId} (run {started.RunId}, {started.Status})");
        var run = await portcullis.WaitForWorkflowRunAsync(started.WorkflowRunId, Left, cancellationToken: ct);
        while (true)
        {
            PrintSteps(run);
            var waiting = run.Steps.Where(step => step.IsAwaitingApproval && step.ApprovalRequestId is not null).ToList();
            if (!run.IsAwaitingApproval || waiting.Count == 0 || Left == TimeSpan.Zero)
            {
                break;
            }

            foreach (var step in waiting)
            {
                Console.WriteLine($"step {step.Id} awaits approval {step.ApprovalRequestId}: approve or reject it at {new Uri(dashboard, $"/approvals/{step.ApprovalRequestId}")}");
                var approval = await portcullis.WaitForApprovalAsync(step.ApprovalRequestId!, Left, cancellationToken: ct);
                Console.WriteLine($"approval {approval.Id}: {approval.Status}");
            }

            await Task.Delay(ResumePause < Left ? ResumePause : Left, ct);
            run = await portcullis.WaitForWorkflowRunAsync(run.Id, Left, cancellationToken: ct);
        }

        Console.WriteLine(JsonSerializer.Serialize(new { workflowRunId = run.Id, runId = run.RunId, status = run.Status, error = run.Error }, SummaryJson));
        return 0;
    }

    private static void PrintSteps(WorkflowRun run)
    {
        Console.WriteLine($"workflow {run.WorkflowName} v{run.Version}: {run.Status}");
        foreach (var step in run.Steps)
        {
            var error = step.Error is null ? "" : $" error={step.Error.Code}: {step.Error.Message}";
            Console.WriteLine($"  {step.Id,-16} {step.Status,-18} decision={step.Decision ?? "-"}{error}");
        }
    }
}
