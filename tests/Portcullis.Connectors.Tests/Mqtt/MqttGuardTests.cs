using Portcullis.Connectors.Security;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Mqtt;

/// <summary>
/// The broker URL at connect time: with the server's outbound guard, a broker on an internal address is refused before any
/// connection (so a credential stored before a rule tightened, or a name rebound inside, never reaches it), unless allowed.
/// </summary>
[Collection(MosquittoCollection.Name)]
public sealed class MqttGuardTests(MosquittoBroker broker)
{
    private static ConnectorRunner Runner(params string[] allowed) =>
        new(Client, new ConnectorOptions { Timeout = TimeSpan.FromSeconds(5), Guard = new OutboundGuard(allowed) }, new FixedTime());

    [Fact]
    public async Task A_loopback_broker_is_refused_at_connect_time_as_url_not_allowed_without_connecting()
    {
        using var runner = Runner();
        var topic = $"guard/{Guid.NewGuid():n}";
        await using var subscriber = await MqttSubscriber.StartAsync(broker, topic);

        var verify = await runner.VerifyAsync(broker.Credential(), default);
        var publish = await runner.ExecuteLiveAsync(Request("mqtt.publish", $$"""{"topic": "{{topic}}", "payload": "open"}""", broker.Credential()), default);

        Assert.False(verify.Ok);
        Assert.Contains("url_not_allowed", verify.Message, StringComparison.Ordinal);
        Assert.False(publish.Succeeded);
        Assert.Equal(ConnectorErrorCodes.UrlNotAllowed, publish.Error!.ProviderCode);
        Assert.Equal(0, publish.Attempts);
        Assert.False(await subscriber.AnotherArrivesAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_broker_the_operator_allowed_is_reached_through_the_checked_address()
    {
        using var runner = Runner("127.0.0.1");

        var verify = await runner.VerifyAsync(broker.Credential(), default);

        Assert.True(verify.Ok, verify.Message);
        Assert.Equal("the broker at 127.0.0.1 accepted the connection (MQTT 5); nothing was published", verify.Message);
    }
}
