using System.Threading.Channels;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>
/// The change feed of instances sharing one PostgreSQL: a committed change wakes this process's waiters at once and is
/// sent to the others with <c>NOTIFY</c> by <see cref="PostgresNotifier"/>; <see cref="PostgresListener"/> hears theirs.
/// </summary>
public sealed class PostgresChangeFeed(ChangeHub hub, JobInstance instance) : IChangeFeed
{
    /// <summary>The one channel every instance listens on; the payload names sender, topic and key.</summary>
    public const string Channel = "portcullis_changes";

    private const char Separator = '\n';

    // Unbounded but drained continuously; the notifier coalesces repeats, so a burst of ingest costs one NOTIFY per run.
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Outgoing => _outgoing.Reader;

    public ChangeWatch Watch(string topic, string key) => hub.Watch(topic, key);

    public void Publish(string topic, string key)
    {
        hub.Wake(topic, key);
        _outgoing.Writer.TryWrite(string.Concat(instance.Id, Separator.ToString(), topic, Separator.ToString(), key));
    }

    /// <summary>Wakes this process's waiters for a notification from another instance (our own were woken when published).</summary>
    public void Received(string payload)
    {
        var parts = payload.Split(Separator, 3);
        if (parts.Length == 3 && parts[0] != instance.Id)
        {
            hub.Wake(parts[1], parts[2]);
        }
    }

    /// <summary>Notifications may have been missed (the listening connection was down): every waiter re-reads once.</summary>
    public void Resync() => hub.WakeAll();
}
