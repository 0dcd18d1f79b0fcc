using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors.Mqtt;

/// <summary>
/// MQTT 5 through MQTTnet: each execution connects (clean start), publishes one message, waits for the broker's
/// acknowledgement at QoS 1 and 2, and disconnects. A publish is never repeated: a second copy could reach a
/// device twice. Verify Connection connects and disconnects.
/// </summary>
internal sealed class MqttConnector : SessionConnector
{
    private static readonly MqttClientFactory Factory = new();

    public override string Provider => ProviderNames.Mqtt;

    public override async Task<ConnectorResult> ExecuteAsync(CallContext context, TimeProvider time, CancellationToken ct)
    {
        var publish = (MqttPublish)context.Model;
        var outcome = await MqttExchange.RunAsync(Factory, context.Credential, context.Options, ClientId(),
            (client, token) => PublishAsync(client, publish, token), ct);
        var completed = time.GetUtcNow();
        if (outcome.Error is { } error)
        {
            return new ConnectorResult(false, null, error, outcome.Attempts, false, context.Now, completed);
        }

        var host = MqttSession.BrokerUrl(context.Credential).IdnHost;
        var answer = Answer(publish, outcome.Value?.PacketIdentifier, outcome.Value?.ReasonCode.ToString() ?? "Success", host);
        return new ConnectorResult(true, JsonSerializer.SerializeToElement<JsonNode>(answer), null, outcome.Attempts, false, context.Now, completed);
    }

    public override async Task<VerifyResult> VerifyAsync(CredentialSecrets credential, ConnectorOptions options, CancellationToken ct)
    {
        var outcome = await MqttExchange.RunAsync<MqttClientPublishResult?>(Factory, credential, options, ClientId(), (_, _) => Task.FromResult<MqttClientPublishResult?>(null), ct);
        return outcome.Error is { } error
            ? new VerifyResult(false, error.Message, null)
            : new VerifyResult(true, $"the broker at {MqttSession.BrokerUrl(credential).IdnHost} accepted the connection (MQTT 5); nothing was published", null);
    }

    public override JsonNode Demo(CallContext context, DemoIds ids)
    {
        var publish = (MqttPublish)context.Model;
        var packet = publish.Qos > 0 ? (ushort?)ids.Number("packet", 1, 65535) : null;
        return Answer(publish, packet, "Success", "broker.demo.portcullis.invalid");
    }

    private static async Task<MqttClientPublishResult?> PublishAsync(IMqttClient client, MqttPublish publish, CancellationToken ct)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(publish.Topic)
            .WithPayload(publish.Payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)publish.Qos)
            .WithRetainFlag(publish.Retain);
        if (publish.IsJson)
        {
            builder.WithContentType("application/json").WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        }

        var result = await client.PublishAsync(builder.Build(), ct);
        return result.IsSuccess
            ? result
            : throw new MqttRefusedException($"the broker refused the message to `{publish.Topic}`: {result.ReasonCode}{Reason(result.ReasonString)}",
                $"mqtt_{MqttExchange.Snake(result.ReasonCode.ToString())}");
    }

    private static JsonObject Answer(MqttPublish publish, ushort? packetIdentifier, string reasonCode, string host) => new()
    {
        ["topic"] = publish.Topic,
        ["qos"] = publish.Qos,
        ["retain"] = publish.Retain,
        ["bytes"] = publish.Payload.Length,
        ["contentType"] = publish.IsJson ? "application/json" : "text/plain",
        ["packetIdentifier"] = packetIdentifier is { } id && id > 0 ? id : null,
        ["reasonCode"] = reasonCode,
        ["broker"] = host,
    };

    private static string Reason(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $" ({text})";

    // Unique per session: a broker disconnects an older session that shares a client id.
    private static string ClientId() => "portcullis-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}

/// <summary>A refusal by the broker after connecting (a publish it would not take), with a stable code.</summary>
internal sealed class MqttRefusedException(string message, string code) : Exception(message)
{
    public string Code { get; } = code;
}
