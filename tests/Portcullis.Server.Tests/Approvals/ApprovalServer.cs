using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>
/// A test server whose Stripe connector points at a local fake, so live-mode executions can be counted exactly,
/// with a fast expiry sweep.
/// </summary>
public abstract class ApprovalServer(StorageProvider provider) : ServerFixture(provider), IAsyncLifetime
{
    public FakeHttp Stripe { get; private set; } = null!;

    /// <summary>Long by default, so tests see the lazy expiry path; the sweeper's own tests make it short.</summary>
    protected virtual double SweepSeconds => 3600;

    public Database Database => Factory.Services.GetRequiredService<Database>();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Connectors:Stripe:BaseUrl"] = Stripe.BaseUrl,
        ["Portcullis:Approvals:SweepIntervalSeconds"] = SweepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portcullis:Approvals:CallbackPollIntervalMs"] = "200",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Stripe = await FakeHttp.StripeAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Stripe.DisposeAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException($"no value for `{sql}`");
    }

    /// <summary>Moves an approval's deadline into the past, as if its expiry time had passed.</summary>
    public Task ExpireNowAsync(string approvalId) => Database.WriteAsync((c, t) =>
        c.ExecuteAsync("UPDATE approvals SET expires_at = @past WHERE id = @approvalId",
            new { past = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds(), approvalId }, t));

    public Task<long> ExecutionsOfAsync(string actionRequestId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE action_request_id = @actionRequestId", new { actionRequestId });

    public async Task<List<string>> AuditActionsAsync(string targetId)
    {
        // Audit entries are chained moments after they commit; chain now so they are in audit_entries.
        await Factory.Services.GetRequiredService<Portcullis.Server.Features.Audit.AuditChainer>().ChainAllAsync();
        await using var c = await Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT action FROM audit_entries WHERE target_id = @targetId ORDER BY seq", new { targetId })).ToList();
    }

    public sealed class Sqlite() : ApprovalServer(StorageProvider.Sqlite);

    public sealed class Postgres() : ApprovalServer(StorageProvider.Postgres);

    public sealed class SweepingSqlite() : ApprovalServer(StorageProvider.Sqlite)
    {
        protected override double SweepSeconds => 1;
    }

    public sealed class SweepingPostgres() : ApprovalServer(StorageProvider.Postgres)
    {
        protected override double SweepSeconds => 1;
    }
}
