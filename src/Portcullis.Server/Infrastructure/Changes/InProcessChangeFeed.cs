namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>The change feed of a single instance (SQLite): a committed change wakes this process's waiters directly.</summary>
public sealed class InProcessChangeFeed(ChangeHub hub) : IChangeFeed
{
    public ChangeWatch Watch(string topic, string key) => hub.Watch(topic, key);

    public void Publish(string topic, string key) => hub.Wake(topic, key);
}
