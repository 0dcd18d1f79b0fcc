using Portcullis.Connectors;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Actions;

/// <summary>Where an action request came from; recorded with it, and the policy field <c>source</c>.</summary>
public static class ActionSource
{
    public const string Rest = "rest";
    public const string Dashboard = "dashboard";
    public const string Workflow = "workflow";
    public const string Mcp = "mcp";
}

/// <summary>
/// One governed action, from any transport: the authenticated agent and the request, already parsed into
/// <see cref="ActionRequestInput"/> (whose <see cref="ActionRequestInput.Source"/> names the transport).
/// </summary>
/// <param name="Hook">Rows the caller writes in the decision's transaction (a workflow step); null for every other transport.</param>
public sealed record RequestActionCommand(AgentIdentity Agent, ActionRequestInput Input, IDecisionHook? Hook = null);

/// <summary>Every way a governed-action request can end. Transports map each case to their own answer.</summary>
public abstract record RequestActionResult
{
    private RequestActionResult()
    {
    }

    /// <summary>Decided now. <paramref name="AnswerJson"/> is the spec's answer, byte for byte what a retry will replay.</summary>
    public sealed record Decided(string ActionRequestId, string AnswerJson) : RequestActionResult;

    /// <summary>
    /// A check (<c>POST /api/actions/check</c>): <c>{decision, reason, matchedPolicies}</c> as a request would be decided now;
    /// nothing was recorded.
    /// </summary>
    public sealed record Checked(string AnswerJson) : RequestActionResult;

    /// <summary>A retry with a known idempotency key: the stored answer (with <c>execution.status: executing</c> while in flight).</summary>
    public sealed record Replayed(string AnswerJson) : RequestActionResult;

    /// <summary>A built-in action's payload broke its schema; every offending field, also recorded on the run's timeline.</summary>
    public sealed record InvalidPayload(IReadOnlyList<FieldError> Errors) : RequestActionResult;

    /// <summary>No run of this id belongs to the agent.</summary>
    public sealed record RunNotFound(string RunId) : RequestActionResult;

    /// <summary>The run has ended; nothing more may be requested in it.</summary>
    public sealed record RunEnded(string RunId, string? Status) : RequestActionResult;

    /// <summary>The idempotency key was first used with a different request.</summary>
    public sealed record KeyConflict(string IdempotencyKey) : RequestActionResult;
}
