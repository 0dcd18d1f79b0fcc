using System.Text.Json;
using Portcullis.Connectors;

namespace Portcullis.Server.Features.Actions;

/// <summary>Finds the credential an agent may use for a provider (live mode). Null when none is linked.</summary>
public interface ICredentialSource
{
    /// <param name="credentialId">A credential the caller picked (a workflow step's); used only if it is linked to the agent.</param>
    Task<CredentialSecrets?> ForAgentAsync(string workspaceId, string agentId, string provider, CancellationToken ct, string? credentialId = null);
}

/// <summary>
/// Sends an allowed built-in action to its connector: simulated in demo mode, the provider's real API in
/// live mode with the credential linked to the agent. Never throws for provider trouble: failures come
/// back as a failed <see cref="ConnectorResult"/>.
/// </summary>
public sealed class ActionDispatcher(ConnectorRunner runner, ICredentialSource credentials, McpGateway.McpToolDispatcher gateway, TimeProvider time)
{
    public const string DemoMode = "demo";

    /// <summary>Demo mode: a simulated, provider-shaped answer; no I/O.</summary>
    public ConnectorResult Simulate(string actionRequestId, string actionType, string provider, JsonElement payload) =>
        ConnectorRunner.ExecuteDemo(new ConnectorRequest(actionRequestId, actionType, provider, payload, null), time);

    public async Task<ConnectorResult> DispatchAsync(string connectorMode, string workspaceId, string agentId, string actionRequestId,
        string actionType, string provider, JsonElement payload, CancellationToken ct, string? credentialId = null)
    {
        // An upstream MCP server's tool, in either mode: there is nothing to simulate it with.
        if (provider == McpGateway.McpNames.Provider)
        {
            return await gateway.CallAsync(workspaceId, agentId, actionRequestId, actionType, payload, ct);
        }

        if (connectorMode == DemoMode)
        {
            return Simulate(actionRequestId, actionType, provider, payload);
        }

        var credential = await credentials.ForAgentAsync(workspaceId, agentId, provider, ct, credentialId);
        if (credential is null)
        {
            var now = time.GetUtcNow();
            return new ConnectorResult(false, null,
                new ConnectorError($"no {provider} credential is linked to this agent; connect one and link it in the agent's integrations",
                    null, ConnectorErrorCodes.ConnectorNotConnected, null),
                0, false, now, now);
        }

        return await runner.ExecuteLiveAsync(new ConnectorRequest(actionRequestId, actionType, provider, payload, credential), ct);
    }
}
