using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Portcullis.Connectors.Mqtt;

/// <summary>
/// The client options for one session with the credential's broker: <c>mqtt://</c> is plain TCP (port 1883 by
/// default), <c>mqtts://</c> TLS (8883), with a username and password and/or a client certificate (PEM holding
/// the certificate and its private key). A private CA (PEM) may be trusted for the broker's certificate.
/// </summary>
internal static class MqttSession
{
    /// <exception cref="Security.OutboundRefusedException">The guard refuses an address the broker's host resolves to.</exception>
    public static async Task<MqttClientOptions> OptionsAsync(CredentialSecrets credential, ConnectorOptions options, string clientId, CancellationToken ct)
    {
        var url = BrokerUrl(credential);
        var tls = url.Scheme == "mqtts";
        // SECURITY: with a guard, the client connects to the address checked here (so DNS rebinding cannot move it inside);
        // TLS still verifies the certificate against the host name (WithTargetHost below).
        var target = options.Guard is { } guard ? (await guard.ResolveAllowedAsync(url.IdnHost, ct))[0].ToString() : url.IdnHost;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(target, url.Port > 0 ? url.Port : tls ? 8883 : 1883)
            .WithClientId(clientId)
            .WithCleanStart(true)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(options.Timeout);
        if (credential.Get("username") is { } username)
        {
            builder.WithCredentials(username, credential.Get("password") ?? "");
        }

        if (tls)
        {
            builder.WithTlsOptions(t => Tls(t, credential, url.IdnHost));
        }
        else if (credential.Get("clientCertificate") is not null)
        {
            throw new CredentialFieldException("a client certificate needs an `mqtts://` broker URL (TLS)");
        }

        return builder.Build();
    }

    /// <summary>The broker URL, already checked when the credential was connected; checked again for older rows.</summary>
    public static Uri BrokerUrl(CredentialSecrets credential)
    {
        var text = credential.Get("brokerUrl") ?? throw new CredentialFieldException("the mqtt credential has no `brokerUrl`");
        return CredentialFormats.MqttBrokerUrl(text) is { } problem
            ? throw new CredentialFieldException($"the mqtt credential's `brokerUrl` {problem}")
            : new Uri(text);
    }

    private static void Tls(MqttClientTlsOptionsBuilder tls, CredentialSecrets credential, string host)
    {
        tls.UseTls().WithTargetHost(host);
        if (credential.Get("clientCertificate") is { } pem)
        {
            tls.WithClientCertificates([ClientCertificate(pem)]);
        }

        if (credential.Get("caCertificate") is { } ca)
        {
            var chain = new X509Certificate2Collection();
            try
            {
                chain.ImportFromPem(ca);
            }
            catch (CryptographicException)
            {
                throw new CredentialFieldException("the mqtt credential's `caCertificate` is not a PEM certificate");
            }

            // The broker's certificate must chain to this CA (and only to it), host name included.
            tls.WithTrustChain(chain);
        }
    }

    private static X509Certificate2 ClientCertificate(string pem)
    {
        try
        {
            using var loaded = X509Certificate2.CreateFromPem(pem, pem);
            // SslStream on some platforms needs a key that is not ephemeral: re-import as PKCS#12.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException)
        {
            throw new CredentialFieldException("the mqtt credential's `clientCertificate` must be PEM with the certificate and its private key");
        }
    }
}
