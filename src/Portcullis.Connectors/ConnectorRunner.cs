using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors;

/// <summary>
/// The one entry point the server uses to execute allowed actions, live or simulated, and to verify
/// credentials. Thread-safe; create one per process (it owns the per-credential rate limiters).
/// </summary>
public sealed partial class ConnectorRunner : IDisposable
{
    private static readonly FrozenDictionary<string, Connector> Connectors =
        ConnectorCatalog.All.ToFrozenDictionary(d => d.Provider, d => d.Connector, StringComparer.Ordinal);

    private static readonly ConnectorOptions DemoOptions = new();

    private readonly ConnectorOptions _options;
    private readonly TimeProvider _time;
    private readonly ICredentialRefresher? _refresher;
    private readonly ProviderHttp _http;

    /// <summary>Creates a runner.</summary>
    /// <param name="http">Client used for every provider call; its own Timeout is left alone (attempts have their own).</param>
    /// <param name="options">Base URLs, time-outs, retries and rate limit.</param>
    /// <param name="time">Clock for timestamps, token expiry, back-off and time-outs.</param>
    /// <param name="refresher">Refreshes OAuth credentials; without it an expired token simply fails.</param>
    /// <param name="supplied">
    /// Client for URLs a credential supplies (the webhook's base URL), built on <see cref="OutboundGuard.CreateHandler"/>;
    /// without it those calls use <paramref name="http"/>.
    /// </param>
    public ConnectorRunner(HttpClient http, ConnectorOptions options, TimeProvider time, ICredentialRefresher? refresher = null, HttpClient? supplied = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _refresher = refresher;
        _http = new ProviderHttp(http, options, time, supplied);
    }

    /// <summary>
    /// Executes an action against the provider's real API. Never throws for provider, network or payload
    /// problems: those come back as <c>Succeeded = false</c> with an <see cref="ConnectorError"/>. Only
    /// cancellation of <paramref name="ct"/> propagates.
    /// </summary>
    public async Task<ConnectorResult> ExecuteLiveAsync(ConnectorRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _time.GetUtcNow();
        var (connector, model, problem) = Resolve(request);
        if (problem is not null)
        {
            return Failed(problem, null, 0, false, started, _time.GetUtcNow());
        }

        if (request.Credential is not { } credential)
        {
            return Failed(new ConnectorError($"no {connector!.Provider} credential is connected for this action", null, ConnectorErrorCodes.ConnectorNotConnected, null),
                null, 0, false, started, _time.GetUtcNow());
        }

        if (!string.Equals(credential.Provider, connector!.Provider, StringComparison.OrdinalIgnoreCase))
        {
            return Failed(new ConnectorError($"the linked credential is for {credential.Provider}, not {connector.Provider}", null, ConnectorErrorCodes.CredentialInvalid, null),
                null, 0, false, started, _time.GetUtcNow());
        }

        if (connector is SessionConnector session)
        {
            return await session.ExecuteAsync(new CallContext(request.ActionRequestId, request.ActionType, model!, credential, _options, started), _time, ct);
        }

        var http = (ProviderConnector)connector;
        var run = await RunAsync(http, credential,
            c => http.BuildCall(new CallContext(request.ActionRequestId, request.ActionType, model!, c, _options, _time.GetUtcNow())), ct);
        var completed = _time.GetUtcNow();
        if (run.Error is { } error)
        {
            return Failed(error, null, run.Attempts, false, started, completed);
        }

        var response = run.Response!;
        if (http.Failure(response) is { } failure)
        {
            var body = response.Json is { } json ? run.Redactor.Redact(json) : (JsonElement?)null;
            return Failed(ProviderError(http, response, failure, run.Redactor), body, run.Attempts, false, started, completed);
        }

        var payload = http.SuccessPayload(response) is { } success ? run.Redactor.Redact(success) : (JsonElement?)null;
        return new ConnectorResult(true, payload, null, run.Attempts, false, started, completed);
    }

    /// <summary>
    /// Verify Connection: one cheap authenticated call (Stripe balance, Gmail token info, HubSpot contacts,
    /// Zendesk users/me, Slack auth.test, Twilio account, webhook HEAD, MQTT connect and disconnect). Never throws but for cancellation.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(CredentialSecrets credential, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (!Connectors.TryGetValue(credential.Provider, out var known))
        {
            return new VerifyResult(false, $"`{credential.Provider}` is not a known provider", null);
        }

        if (known is SessionConnector session)
        {
            return await session.VerifyAsync(credential, _options, ct);
        }

        var connector = (ProviderConnector)known;
        var run = await RunAsync(connector, credential, c => connector.BuildVerifyCall(c, _options), ct);
        if (run.Error is { } error)
        {
            return new VerifyResult(false, error.Message, error.ProviderStatus);
        }

        var response = run.Response!;
        if (connector.VerifyFailure(response) is { } failure)
        {
            return new VerifyResult(false, ProviderError(connector, response, failure, run.Redactor).Message, response.Status);
        }

        return new VerifyResult(true, run.Redactor.Redact(connector.VerifiedMessage(response)), response.Status);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static (Connector? Connector, object? Model, ConnectorError? Problem) Resolve(ConnectorRequest request)
    {
        if (!ActionCatalog.TryGetDefinition(request.ActionType, out var definition))
        {
            return (null, null, new ConnectorError($"`{request.ActionType}` is not an action a built-in connector executes", null, ConnectorErrorCodes.UnsupportedAction, null));
        }

        if (!string.Equals(definition.Provider, request.Provider, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, new ConnectorError($"`{request.ActionType}` is executed by {definition.Provider}, not `{request.Provider}`", null, ConnectorErrorCodes.UnsupportedAction, null));
        }

        var parsed = definition.Parse(request.Payload);
        if (parsed.Errors.Count > 0)
        {
            var details = string.Join("; ", parsed.Errors.Select(e => $"{e.Field} {e.Message}"));
            return (null, null, new ConnectorError($"invalid payload: {details}", null, ConnectorErrorCodes.InvalidPayload, null));
        }

        return (definition.Connector.Connector, parsed.Model, null);
    }

    private static ConnectorError ProviderError(ProviderConnector connector, ProviderResponse response, ProviderFailure failure, SecretRedactor redactor)
    {
        var what = response.Status >= 500 ? "failed with" : "refused the request with";
        var message = $"{connector.Provider} {what} HTTP {response.Status}: {failure.Message}";
        if (message.Length > 1000)
        {
            message = message[..1000] + "…";
        }

        return new ConnectorError(redactor.Redact(message), response.Status,
            failure.Code is null ? null : redactor.Redact(failure.Code),
            failure.RequestId is null ? null : redactor.Redact(failure.RequestId));
    }

    private static ConnectorResult Failed(ConnectorError error, JsonElement? body, int attempts, bool simulated, DateTimeOffset started, DateTimeOffset completed) =>
        new(false, body, error, attempts, simulated, started, completed);
}
