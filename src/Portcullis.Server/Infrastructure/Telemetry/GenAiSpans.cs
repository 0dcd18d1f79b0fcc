using System.Diagnostics;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// The spans of the governed-action pipeline, after the OpenTelemetry GenAI semantic conventions: <c>apply_guardrail</c>
/// for the policy decision and <c>execute_tool</c> for the connector call. INVARIANT: no attribute carries a secret, a
/// payload or an evidence value: ids, names, decisions and counts only (payloads only through <see cref="PayloadCapture"/>).
/// </summary>
public static class GenAiSpans
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ToolName = "gen_ai.tool.name";
    public const string AgentId = "gen_ai.agent.id";
    public const string AgentName = "gen_ai.agent.name";

    /// <summary>Starts the guardrail span; null when nobody listens.</summary>
    public static Activity? StartGuardrail(string actionType, string agentId, string agentName, string runId)
    {
        var activity = PortcullisTelemetry.Source.StartActivity("apply_guardrail " + actionType, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationName, "apply_guardrail");
            activity.SetTag("gen_ai.guardian.name", "portcullis");
            activity.SetTag("gen_ai.security.target.type", "tool_call");
            activity.SetTag(ToolName, actionType);
            activity.SetTag(AgentId, agentId);
            activity.SetTag(AgentName, agentName);
            activity.SetTag("portcullis.run.id", runId);
        }

        return activity;
    }

    public static void SetDecision(Activity? activity, DecidedAction decided)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("gen_ai.security.decision.type", SecurityDecision(decided.Decision));
        activity.SetTag("portcullis.decision", decided.Decision);
        activity.SetTag("portcullis.action_request.id", decided.Id);
        activity.SetTag("gen_ai.security.policy.id", decided.Evaluation.Matched.Select(m => m.Id).ToArray());
        activity.SetTag("portcullis.policy.revision", decided.PolicyRevision);
        activity.SetTag("portcullis.shadow.outcome_count", decided.Shadow?.Count ?? 0);
    }

    // The conventions' decision vocabulary (allow, warn, audit, deny); Portcullis's own word is kept beside it.
    private static string SecurityDecision(string decision) => decision switch
    {
        "allow" => "allow",
        "allow_with_alert" => "warn",
        "require_approval" => "audit",
        _ => "deny",
    };

    /// <summary>Starts the tool span of one connector execution; its outbound HTTP calls become its children.</summary>
    public static Activity? StartExecuteTool(string actionType, string provider, string agentId, string? agentName, string actionRequestId)
    {
        var activity = PortcullisTelemetry.Source.StartActivity("execute_tool " + actionType, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationName, "execute_tool");
            activity.SetTag(ToolName, actionType);
            activity.SetTag("gen_ai.tool.type", "extension");
            activity.SetTag("gen_ai.tool.call.id", actionRequestId);
            activity.SetTag(AgentId, agentId);
            activity.SetTag(AgentName, agentName);
            activity.SetTag("portcullis.provider", provider);
        }

        return activity;
    }

    public static void SetResult(Activity? activity, ConnectorResult result)
    {
        if (activity is null)
        {
            return;
        }

        var status = result.Succeeded ? ActionStatus.Executed : ActionStatus.Failed;
        activity.SetTag("portcullis.execution.status", status);
        activity.SetTag("portcullis.simulated", result.Simulated);
        if (!result.Succeeded)
        {
            // The error code, never the message: a provider's message may quote what was sent.
            activity.SetTag("error.type", result.Error?.ProviderCode ?? "connector_error");
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
