using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors;

/// <summary>
/// One provider's live and demo implementation. HTTP providers derive from <see cref="ProviderConnector"/>
/// (the runner sends their calls); providers with a protocol of their own derive from <see cref="SessionConnector"/>.
/// </summary>
internal abstract class Connector
{
    public abstract string Provider { get; }

    /// <summary>True when a 401 or a near expiry can be fixed by refreshing the OAuth grant.</summary>
    public virtual bool UsesOAuth(CredentialSecrets credential) => false;

    public abstract JsonNode Demo(CallContext context, DemoIds ids);
}

/// <summary>
/// A provider reached over a protocol other than HTTP (MQTT): it opens its own session for each execution or
/// verification. Like the runner, it never throws for provider, network or credential problems (only for
/// cancellation of the caller's token), and no secret may reach its messages.
/// </summary>
internal abstract class SessionConnector : Connector
{
    public abstract Task<ConnectorResult> ExecuteAsync(CallContext context, TimeProvider time, CancellationToken ct);

    public abstract Task<VerifyResult> VerifyAsync(CredentialSecrets credential, ConnectorOptions options, CancellationToken ct);
}
