using Portcullis.Server.Tests.Approvals;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Subscriptions;

/// <summary>The approvals test server (fake Stripe, fast callback polling) with event deliveries polled as fast.</summary>
public abstract class EventServer(StorageProvider provider) : ApprovalServer(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Portcullis:Events:PollIntervalMs"] = "200" };

    public new sealed class Sqlite() : EventServer(StorageProvider.Sqlite);

    public new sealed class Postgres() : EventServer(StorageProvider.Postgres);
}
