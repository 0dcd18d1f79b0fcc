using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Credentials;

/// <summary>A server whose Stripe connector points at a local fake Stripe.</summary>
public abstract class LiveStripeServer(StorageProvider provider) : ServerFixture(provider)
{
    public FakeStripe Stripe { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Connectors:Stripe:BaseUrl"] = Stripe.BaseUrl,
        ["Portcullis:Connectors:RetryBaseDelayMs"] = "10",
    };

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public sealed class LiveStripeSqliteServer() : LiveStripeServer(StorageProvider.Sqlite);

public sealed class LiveStripePostgresServer() : LiveStripeServer(StorageProvider.Postgres);
