using System.Text.Json;

namespace Portcullis.Connectors;

/// <summary>Why an execution failed. Never contains a secret.</summary>
/// <param name="Message">Human-readable explanation, provider message included where useful.</param>
/// <param name="ProviderStatus">HTTP status the provider answered with, if it answered.</param>
/// <param name="ProviderCode">Provider error code (Stripe <c>error.code</c>, Slack <c>error</c>, HubSpot
/// <c>category</c>, Zendesk <c>error</c>, Twilio <c>code</c>) or one of <see cref="ConnectorErrorCodes"/>.</param>
/// <param name="ProviderRequestId">The provider's request id, for support tickets.</param>
public sealed record ConnectorError(string Message, int? ProviderStatus, string? ProviderCode, string? ProviderRequestId);

/// <summary>Outcome of one execution, live or simulated.</summary>
/// <param name="Succeeded">True when the provider performed the action.</param>
/// <param name="ResponsePayload">The provider's (redacted) JSON answer, on success and on provider errors.</param>
/// <param name="Error">Set when <paramref name="Succeeded"/> is false.</param>
/// <param name="Attempts">HTTP attempts made (0 when none was sent).</param>
/// <param name="Simulated">True for demo mode.</param>
/// <param name="StartedAt">When execution began.</param>
/// <param name="CompletedAt">When execution ended.</param>
public sealed record ConnectorResult(
    bool Succeeded,
    JsonElement? ResponsePayload,
    ConnectorError? Error,
    int Attempts,
    bool Simulated,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt);

/// <summary>Outcome of Verify Connection.</summary>
/// <param name="Ok">True when the provider accepted the credential.</param>
/// <param name="Message">What was checked, or why it failed (no secrets).</param>
/// <param name="ProviderStatus">HTTP status of the verification call, if one was answered.</param>
public sealed record VerifyResult(bool Ok, string Message, int? ProviderStatus);

/// <summary>Error codes Portcullis itself sets in <see cref="ConnectorError.ProviderCode"/>.</summary>
public static class ConnectorErrorCodes
{
    /// <summary>No credential is linked for the provider.</summary>
    public const string ConnectorNotConnected = "connector_not_connected";
    /// <summary>The OAuth grant could not be refreshed; the user must reconnect.</summary>
    public const string CredentialNeedsReconnect = "credential_needs_reconnect";
    /// <summary>The credential lacks a field the provider needs, or belongs to another provider.</summary>
    public const string CredentialInvalid = "credential_invalid";
    /// <summary>The refresher failed unexpectedly (not a rejected grant).</summary>
    public const string CredentialRefreshFailed = "credential_refresh_failed";
    /// <summary>The payload does not match the action's schema.</summary>
    public const string InvalidPayload = "invalid_payload";
    /// <summary>The action type is not one a built-in connector executes.</summary>
    public const string UnsupportedAction = "unsupported_action";
    /// <summary>Every attempt timed out.</summary>
    public const string Timeout = "timeout";
    /// <summary>The supplied URL resolved to an address the outbound guard does not allow.</summary>
    public const string UrlNotAllowed = "url_not_allowed";
    /// <summary>The provider could not be reached.</summary>
    public const string NetworkError = "network_error";
    /// <summary>The credential's own Portcullis rate limit is exhausted.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>The provider answered with something that is not its documented shape.</summary>
    public const string InvalidResponse = "invalid_response";
}
