using System.Text;
using MQTTnet.Protocol;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class MqttLiveTests(MosquittoBroker broker)
{
    private static ConnectorRunner Runner() => new(Client, new ConnectorOptions { Timeout = TimeSpan.FromSeconds(5) }, new FixedTime());

    private static string Topic() => $"site/berlin/door-{Guid.NewGuid():n}/command";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_subscriber_receives_exactly_the_published_text_with_the_requested_qos(int qos)
    {
        var topic = Topic();
        await using var subscriber = await MqttSubscriber.StartAsync(broker, topic);
        using var runner = Runner();

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", Serialize(new { topic, payload = "unlock: Grüße 🔓", qos }), broker.Credential()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(1, result.Attempts);
        var message = await subscriber.NextAsync();
        Assert.Equal(topic, message.Topic);
        Assert.Equal(Encoding.UTF8.GetBytes("unlock: Grüße 🔓"), MqttSubscriber.Bytes(message));
        Assert.Equal((MqttQualityOfServiceLevel)qos, message.QualityOfServiceLevel);
        Assert.False(message.Retain);
        Assert.False(await subscriber.AnotherArrivesAsync(TimeSpan.FromMilliseconds(300)));
        var answer = result.ResponsePayload!.Value;
        Assert.Equal(topic, answer.GetProperty("topic").GetString());
        Assert.Equal(qos, answer.GetProperty("qos").GetInt32());
        Assert.Equal(qos > 0, answer.GetProperty("packetIdentifier").ValueKind == System.Text.Json.JsonValueKind.Number);
    }

    [Fact]
    public async Task A_json_payload_is_sent_as_its_json_text_with_a_json_content_type()
    {
        var topic = Topic();
        await using var subscriber = await MqttSubscriber.StartAsync(broker, topic);
        using var runner = Runner();

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", $$"""{"topic": "{{topic}}", "payload": {"command": "unlock", "seconds": 5}, "qos": 1}""", broker.Credential()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        var message = await subscriber.NextAsync();
        Assert.Equal("""{"command": "unlock", "seconds": 5}""", Encoding.UTF8.GetString(MqttSubscriber.Bytes(message)));
        Assert.Equal("application/json", message.ContentType);
    }

    [Fact]
    public async Task A_retained_message_reaches_a_subscriber_that_comes_later()
    {
        var topic = Topic();
        using var runner = Runner();

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", Serialize(new { topic, payload = "closed", qos = 1, retain = true }), broker.Credential()), default);
        await using var late = await MqttSubscriber.StartAsync(broker, topic);

        Assert.True(result.Succeeded, result.Error?.Message);
        var message = await late.NextAsync();
        Assert.True(message.Retain);
        Assert.Equal("closed", Encoding.UTF8.GetString(MqttSubscriber.Bytes(message)));
    }

    [Fact]
    public async Task A_wrong_password_is_a_failed_execution_with_a_clear_error_and_nothing_published()
    {
        var topic = Topic();
        await using var subscriber = await MqttSubscriber.StartAsync(broker, topic);
        using var runner = Runner();

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", Serialize(new { topic, payload = "x" }), broker.Credential("wrong-password-LEAK")), default);

        Assert.False(result.Succeeded);
        // Mosquitto answers a wrong password with CONNACK "not authorized" (0x87), as MQTT 5 allows.
        Assert.Equal("mqtt_not_authorized", result.Error!.ProviderCode);
        Assert.Equal("the broker at 127.0.0.1 refused the connection: NotAuthorized; check the credential's username and password (or client certificate)", result.Error.Message);
        Assert.False(await subscriber.AnotherArrivesAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Verify_connects_and_disconnects_and_reports_a_refused_login()
    {
        using var runner = Runner();

        var ok = await runner.VerifyAsync(broker.Credential(), default);
        var refused = await runner.VerifyAsync(broker.Credential("wrong-password-LEAK"), default);

        Assert.True(ok.Ok, ok.Message);
        Assert.Equal("the broker at 127.0.0.1 accepted the connection (MQTT 5); nothing was published", ok.Message);
        Assert.False(refused.Ok);
        Assert.DoesNotContain("LEAK", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_is_not_there_is_a_network_error()
    {
        using var runner = Runner();
        var closed = ClosedPort();
        var credential = Credentials.Make("mqtt", ("brokerUrl", $"mqtt://127.0.0.1:{closed.Port}"));

        var result = await runner.ExecuteLiveAsync(Request("mqtt.publish", """{"topic": "a/b", "payload": "x"}""", credential), default);

        Assert.Equal(ConnectorErrorCodes.NetworkError, result.Error!.ProviderCode);
        Assert.StartsWith($"could not connect to the broker at 127.0.0.1:{closed.Port}", result.Error.Message, StringComparison.Ordinal);
    }
}
