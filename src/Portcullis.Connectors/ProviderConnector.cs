using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors;

/// <summary>Raised when a credential lacks a field or holds an unusable value; becomes <c>credential_invalid</c>.</summary>
internal sealed class CredentialFieldException(string message) : Exception(message);

/// <summary>Everything a connector needs to describe the call for one action.</summary>
internal sealed record CallContext(string ActionRequestId, string ActionType, object Model, CredentialSecrets Credential, ConnectorOptions Options, DateTimeOffset Now);

/// <summary>
/// One provider: how an action becomes an HTTP call, how the provider's errors read, what Verify
/// Connection calls, and what demo mode answers. Connectors are pure: sending, retries, refresh and
/// redaction happen once, in <see cref="ConnectorRunner"/>.
/// </summary>
internal abstract class ProviderConnector : Connector
{
    public abstract ProviderCall BuildCall(CallContext context);

    public abstract ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options);

    /// <summary>Null when the answer is a success; Slack overrides this because it fails with HTTP 200.</summary>
    public virtual ProviderFailure? Failure(ProviderResponse response) => response.IsSuccess ? null : ParseError(response);

    /// <summary>The result payload of a successful answer.</summary>
    public virtual JsonElement? SuccessPayload(ProviderResponse response) => response.Json;

    /// <summary>Null when a Verify Connection answer proves the credential works.</summary>
    public virtual ProviderFailure? VerifyFailure(ProviderResponse response) => Failure(response);

    public virtual string VerifiedMessage(ProviderResponse response) => $"{Provider} accepted the credential";

    protected abstract ProviderFailure ParseError(ProviderResponse response);

    protected static string Require(CredentialSecrets credential, string field) =>
        credential.Get(field) ?? throw new CredentialFieldException($"the {credential.Provider} credential has no `{field}`");

    /// <summary>Joins a configured base URL (which may carry a path prefix) and an API path.</summary>
    protected static Uri Endpoint(Uri baseUrl, string path) => new(baseUrl.AbsoluteUri.TrimEnd('/') + path);

    protected static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>
    /// The idempotency key of an action request. INVARIANT: one action request = one key, so a retry, or a
    /// re-run after a crash, is recognised by the provider (or webhook receiver) as the same request.
    /// </summary>
    internal static string IdempotencyKey(string actionRequestId) => $"portcullis-{actionRequestId}";

    /// <summary>Fallback wording when a provider's error body is not its documented shape.</summary>
    protected static ProviderFailure Generic(ProviderResponse response, string? code, string? message, string? requestId) =>
        new(code ?? $"http_{response.Status}",
            message ?? (string.IsNullOrWhiteSpace(response.Text) ? $"HTTP {response.Status}" : response.Text.Trim()),
            requestId);
}
