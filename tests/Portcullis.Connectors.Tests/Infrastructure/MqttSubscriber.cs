using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>A test's own MQTTnet client, subscribed to one topic at QoS 2, collecting what arrives.</summary>
public sealed class MqttSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();

    public static async Task<MqttSubscriber> StartAsync(MosquittoBroker broker, string topic)
    {
        var subscriber = new MqttSubscriber();
        subscriber._client.ApplicationMessageReceivedAsync += e =>
        {
            subscriber._received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await subscriber._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port).WithCredentials(MosquittoBroker.User, MosquittoBroker.Password)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("test-sub-" + Guid.NewGuid().ToString("n")[..8]).Build());
        await subscriber._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.ExactlyOnce).Build());
        return subscriber;
    }

    /// <summary>The next message, or a failed assertion after five seconds.</summary>
    public async Task<MqttApplicationMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when another message arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> AnotherArrivesAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _received.Reader.ReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static byte[] Bytes(MqttApplicationMessage message) => message.Payload.ToArray();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
