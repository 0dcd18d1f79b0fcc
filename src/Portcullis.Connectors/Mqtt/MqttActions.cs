using System.Text;
using System.Text.Json;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Mqtt;

/// <summary>One message to publish: the bytes exactly as sent, and whether they are JSON.</summary>
internal sealed record MqttPublish(string Topic, byte[] Payload, bool IsJson, int Qos, bool Retain);

/// <summary>MQTT payload schema.</summary>
internal static class MqttActions
{
    public const string PublishType = "mqtt.publish";

    /// <summary>MQTT 5 §1.5.4: a topic name is at most 65,535 bytes of UTF-8.</summary>
    private const int MaxTopicBytes = 65535;

    public static readonly ActionDescriptor[] Actions =
    [
        // Not idempotent: QoS 0 and 1 may deliver twice if sent twice, and a device may act on each copy.
        new(PublishType, "Publish a message to a topic of the connected MQTT broker.",
            new ObjectSchema()
                .Required("topic", new StringSchema
                {
                    SingleLine = true,
                    MaxLength = MaxTopicBytes,
                    Check = TopicProblem,
                    Pattern = @"^[^+#$\u0000][^+#\u0000]*$",
                    Description = "Topic name to publish to, e.g. `site/berlin/door/3/command`; no wildcards (`+`, `#`), not a `$` system topic.",
                })
                .Required("payload", new AnySchema { Description = "The message: a string is sent as UTF-8 text, any other JSON value as its JSON text." })
                .Optional("qos", new IntegerChoiceSchema([0, 1, 2]) { Description = "Quality of service: 0 at most once (default), 1 at least once, 2 exactly once; 1 and 2 wait for the broker's acknowledgement." })
                .Optional("retain", new BooleanSchema { Description = "Ask the broker to keep the message for future subscribers (default false)." }),
            new ActionHints(ReadOnly: false, Destructive: true, Idempotent: false),
            Build),
    ];

    /// <summary>
    /// Publishing goes to one topic: the wildcards only mean something in subscriptions, and brokers reject or
    /// misroute them in a topic name. `$` topics belong to the broker (`$SYS/…`).
    /// </summary>
    internal static string? TopicProblem(string topic) =>
        topic.Contains('+') || topic.Contains('#') ? "must not contain the wildcards `+` or `#`: publish to one topic"
        : topic.StartsWith('$') ? "must not start with `$`: such topics belong to the broker"
        : topic.Contains('\0') ? "must not contain a null character"
        : Encoding.UTF8.GetByteCount(topic) > MaxTopicBytes ? $"must be at most {MaxTopicBytes} bytes of UTF-8"
        : null;

    private static MqttPublish Build(PayloadReader p)
    {
        var payload = p.Element("payload")!.Value;
        var isJson = payload.ValueKind != JsonValueKind.String;
        var bytes = isJson ? Encoding.UTF8.GetBytes(payload.GetRawText()) : Encoding.UTF8.GetBytes(payload.GetString()!);
        return new MqttPublish(p.String("topic")!, bytes, isJson, (int)(p.Long("qos") ?? 0), p.Boolean("retain") ?? false);
    }
}
