using System.Text;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class MqttTlsTests(MosquittoBroker broker)
{
    private static ConnectorRunner Runner() => new(Client, new ConnectorOptions { Timeout = TimeSpan.FromSeconds(5) }, new FixedTime());

    private CredentialSecrets Tls(string clientPem) => Credentials.Make("mqtt",
        ("brokerUrl", $"mqtts://localhost:{broker.TlsPort}"), ("clientCertificate", clientPem), ("caCertificate", broker.Certificates.CaPem));

    [Fact]
    public async Task A_client_certificate_over_tls_publishes_to_the_broker()
    {
        var topic = $"plant/line-{Guid.NewGuid():n}/stop";
        await using var subscriber = await MqttSubscriber.StartAsync(broker, topic);
        using var runner = Runner();

        var verified = await runner.VerifyAsync(Tls(broker.Certificates.ClientPem), default);
        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", Serialize(new { topic, payload = "stop", qos = 1 }), Tls(broker.Certificates.ClientPem)), default);

        Assert.True(verified.Ok, verified.Message);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("stop", Encoding.UTF8.GetString(MqttSubscriber.Bytes(await subscriber.NextAsync())));
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_refused_in_the_handshake()
    {
        using var runner = Runner();

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", """{"topic": "plant/x", "payload": "stop"}""", Tls(broker.Certificates.StrangerClientPem)), default);

        Assert.False(result.Succeeded);
        Assert.Equal(ConnectorErrorCodes.NetworkError, result.Error!.ProviderCode);
        Assert.DoesNotContain("PRIVATE KEY", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_certificate_not_signed_by_the_given_ca_is_not_trusted()
    {
        using var runner = Runner();
        var otherCa = TestCertificates.Create().CaPem;
        var credential = Credentials.Make("mqtt", ("brokerUrl", $"mqtts://localhost:{broker.TlsPort}"),
            ("clientCertificate", broker.Certificates.ClientPem), ("caCertificate", otherCa));

        var verified = await runner.VerifyAsync(credential, default);

        Assert.False(verified.Ok);
        Assert.Contains("TLS handshake", verified.Message, StringComparison.Ordinal);
    }
}
