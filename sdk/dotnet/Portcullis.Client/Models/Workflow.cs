using System.Text.Json;

namespace Portcullis.Client;

/// <summary>The answer of <see cref="PortcullisClient.RunWorkflowAsync"/>: the run was accepted and goes on in the server.</summary>
/// <param name="WorkflowRunId">The workflow run (<c>wfr_…</c>) to wait for or cancel.</param>
/// <param name="RunId">The agent run (<c>run_…</c>) that records the workflow's timeline.</param>
/// <param name="Status">The workflow run's state, <c>running</c>.</param>
public sealed record WorkflowRunStarted(string WorkflowRunId, string RunId, string Status);

/// <summary>Why a workflow run or one of its steps failed.</summary>
public sealed record WorkflowError
{
    /// <summary>A stable code, e.g. <c>template_unresolved</c>.</summary>
    public required string Code { get; init; }

    /// <summary>What went wrong.</summary>
    public string? Message { get; init; }

    /// <summary>The step that failed; null on a step's own error.</summary>
    public string? StepId { get; init; }
}

/// <summary>A workflow run with its steps, as it stands.</summary>
public sealed record WorkflowRun
{
    /// <summary>The workflow run's id (<c>wfr_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow (<c>wf_…</c>).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The workflow's name.</summary>
    public string? WorkflowName { get; init; }

    /// <summary>The version of the workflow this run follows.</summary>
    public int Version { get; init; }

    /// <summary>The agent run (<c>run_…</c>) that records the workflow's timeline.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// <c>running</c>, <c>awaiting_approval</c>, <c>completed</c>, <c>failed</c>, <c>blocked</c> or <c>cancelled</c>;
    /// kept as sent, so a state added later reads as itself.
    /// </summary>
    public required string Status { get; init; }

    /// <summary>The input the run was started with: a JSON object.</summary>
    public JsonElement Input { get; init; }

    /// <summary>Why the run failed; null unless it did.</summary>
    public WorkflowError? Error { get; init; }

    /// <summary>When the run was started.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the run settled, once it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The steps in the workflow's order.</summary>
    public IReadOnlyList<WorkflowStep> Steps { get; init; } = [];

    /// <summary>True while the server works through the steps; the only state a long-poll waits through.</summary>
    public bool IsRunning => Status == "running";

    /// <summary>True while a step waits for a human; the run goes on once the approval is decided.</summary>
    public bool IsAwaitingApproval => Status == "awaiting_approval";
}

/// <summary>One step of a workflow run, as it stands.</summary>
public sealed record WorkflowStep
{
    /// <summary>The step's id within the workflow, e.g. <c>refund</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The step's name.</summary>
    public string? Name { get; init; }

    /// <summary>The action the step requests, e.g. <c>http.request</c>.</summary>
    public string? ActionType { get; init; }

    /// <summary>
    /// <c>pending</c>, <c>running</c>, <c>awaiting_approval</c>, <c>completed</c>, <c>skipped</c>, <c>failed</c>,
    /// <c>blocked</c>, <c>rejected</c> or <c>unknown</c> (the server lost track of its call; an admin reconciles it).
    /// </summary>
    public required string Status { get; init; }

    /// <summary>The governed action request (<c>act_…</c>), once asked for.</summary>
    public string? ActionRequestId { get; init; }

    /// <summary>The policy engine's decision on the step's action, once made: <c>allow</c>, <c>allow_with_alert</c>, <c>require_approval</c> or <c>block</c>.</summary>
    public string? Decision { get; init; }

    /// <summary>The approval (<c>apr_…</c>) the step waits for, when its decision was <c>require_approval</c>.</summary>
    public string? ApprovalRequestId { get; init; }

    /// <summary>The payload the step rendered from its template; null before it did.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>The step's result; null until it completed.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>Why the step failed; null unless it did.</summary>
    public WorkflowError? Error { get; init; }

    /// <summary>When the step started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the step settled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>True while the step waits for <see cref="ApprovalRequestId"/> to be decided.</summary>
    public bool IsAwaitingApproval => Status == "awaiting_approval";
}
