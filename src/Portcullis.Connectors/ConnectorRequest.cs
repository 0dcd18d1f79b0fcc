using System.Text.Json;

namespace Portcullis.Connectors;

/// <summary>One allowed action to execute.</summary>
/// <param name="ActionRequestId">The action request id (<c>act_…</c>); seeds idempotency keys and demo ids.</param>
/// <param name="ActionType">Built-in action type, e.g. <c>refund.create</c>.</param>
/// <param name="Provider">Provider the action belongs to, e.g. <c>stripe</c>.</param>
/// <param name="Payload">The agent's payload (validated again before any call).</param>
/// <param name="Credential">Decrypted credential; null in demo mode.</param>
public sealed record ConnectorRequest(
    string ActionRequestId,
    string ActionType,
    string Provider,
    JsonElement Payload,
    CredentialSecrets? Credential);
