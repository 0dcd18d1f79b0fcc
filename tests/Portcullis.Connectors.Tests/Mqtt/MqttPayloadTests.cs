using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Mqtt;

public sealed class MqttPayloadTests
{
    [Theory]
    [InlineData("site/+/door", "must not contain the wildcards `+` or `#`: publish to one topic")]
    [InlineData("site/#", "must not contain the wildcards `+` or `#`: publish to one topic")]
    [InlineData("$SYS/broker/uptime", "must not start with `$`: such topics belong to the broker")]
    public void Wildcard_and_system_topics_are_refused(string topic, string message) =>
        Assert.Equal([new FieldError("payload.topic", message)], ActionCatalog.Validate("mqtt.publish", Json(Serialize(new { topic, payload = "x" }))));

    [Fact]
    public void Qos_is_0_1_or_2_and_a_payload_is_required() =>
        Assert.Equal(
            [new FieldError("payload.payload", "is required"), new FieldError("payload.qos", "must be one of 0, 1, 2")],
            ActionCatalog.Validate("mqtt.publish", Json("""{"topic": "a/b", "qos": 3}""")).OrderBy(e => e.Field));

    [Theory]
    [InlineData("mqtt://10.0.0.5:1883", null)]
    [InlineData("mqtts://broker.example.com:8883", null)]
    [InlineData("https://broker.example.com", "must be a broker URL such as `mqtts://broker.example.com:8883` or `mqtt://10.0.0.5:1883` (no path, no user in the URL)")]
    [InlineData("mqtt://user:pw@broker.example.com", "must be a broker URL such as `mqtts://broker.example.com:8883` or `mqtt://10.0.0.5:1883` (no path, no user in the URL)")]
    public void Broker_urls_are_mqtt_or_mqtts(string url, string? problem) => Assert.Equal(problem, CredentialFormats.MqttBrokerUrl(url));

    [Fact]
    public void Demo_mode_simulates_a_publish_without_a_broker()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("mqtt.publish", """{"topic": "site/berlin/door/3/command", "payload": {"command": "unlock"}, "qos": 1}""", null), new FixedTime());

        Assert.True(result.Succeeded);
        Assert.True(result.Simulated);
        var answer = result.ResponsePayload!.Value;
        Assert.Equal("site/berlin/door/3/command", answer.GetProperty("topic").GetString());
        Assert.Equal("application/json", answer.GetProperty("contentType").GetString());
        Assert.Equal(21, answer.GetProperty("bytes").GetInt32());
        Assert.True(answer.GetProperty("packetIdentifier").GetInt32() > 0);
    }

    [Fact]
    public void Demo_verification_checks_the_broker_url_shape_and_sends_nothing()
    {
        var ok = ConnectorRunner.VerifyDemo(Credentials.Make("mqtt", ("brokerUrl", "mqtts://broker.example.com")));
        var bad = ConnectorRunner.VerifyDemo(Credentials.Make("mqtt", ("brokerUrl", "tcp://broker.example.com")));

        Assert.True(ok.Ok);
        Assert.StartsWith("demo mode (simulated, nothing sent to MQTT broker)", ok.Message, StringComparison.Ordinal);
        Assert.False(bad.Ok);
    }
}
