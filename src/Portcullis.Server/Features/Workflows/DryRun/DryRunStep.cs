using System.Text.Json.Nodes;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Workflows.Runs;

namespace Portcullis.Server.Features.Workflows.DryRun;

/// <summary>
/// One step of a test run as answered: skipped or not, the rendered input, the decision the workspace's policies would
/// take, and an output that is always <see cref="Simulated"/> (the demo connector's) when there is one.
/// </summary>
public sealed record DryRunStep(
    string Id, bool Skipped, JsonNode? Input, string? Decision, string? Reason, IReadOnlyList<MatchedPolicyDto> MatchedPolicies,
    JsonNode? Output, bool Simulated, WorkflowError? Error)
{
    public static DryRunStep Skip(string id, string reason) => new(id, true, null, null, reason, [], null, false, null);

    public static DryRunStep Fail(string id, string code, string message, JsonNode? input = null) =>
        new(id, false, input, null, null, [], null, false, new WorkflowError(code, message, id));
}

public sealed record DryRunResponse(string WorkflowId, int Version, IReadOnlyList<DryRunStep> Steps);
