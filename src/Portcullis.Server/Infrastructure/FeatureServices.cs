using Portcullis.Connectors;
using Portcullis.Connectors.OAuth;
using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Policies;

namespace Portcullis.Server.Infrastructure;

/// <summary>Service registrations of the policy engine, the connectors and the credential vault.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddPolicyEngine(this IServiceCollection services)
    {
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<Features.Policies.Shadow.ShadowQueries>();
        services.AddSingleton<VelocityReader>();
        services.AddSingleton<ActionRecorder>();
        services.AddSingleton<ActionDispatcher>();
        services.AddSingleton<ActionDecider>();
        services.AddSingleton<RunContexts>();
        services.AddSingleton<Features.Freeze.FreezeSwitch>();
        services.AddSingleton<ActionCheck>();
        services.AddSingleton<ActionEngine>();
        services.AddSingleton<ActionReconciler>();
        services.AddSingleton<ActionQueries>();
        services.AddSingleton<ExecutionRecords>();
        services.AddSingleton<ExecutionWriter>();
        services.AddSingleton<ActionExecutor>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<ActionExecutor>());
        return services;
    }

    /// <summary>Durable jobs: the table every side effect leaves through, and the worker that recovers them.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section)
            .Validate(o => o.LeaseSeconds > 0 && o.PollIntervalMs > 0 && o.BatchSize > 0, "job lease, poll interval and batch size must be positive")
            .ValidateOnStart();
        services.AddSingleton<JobInstance>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        return services;
    }

    public static IServiceCollection AddConnectorsAndVault(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VaultOptions>().BindConfiguration(VaultOptions.Section);
        services.AddOptions<OAuthAppOptions>().BindConfiguration(OAuthAppOptions.Section).Configure<IConfiguration>(OAuthAppOptions.ReadApps);
        services.AddSingleton(sp =>
        {
            var options = ConnectorSettings.Read(configuration);
            options.Guard = sp.GetRequiredService<OutboundGuard>();
            return options;
        });
        services.AddSingleton<CredentialVault>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<ICredentialSource, CredentialSource>();
        services.AddSingleton<ICredentialRefresher, OAuthRefresher>();
        // One runner per process: it owns the per-credential rate limiters. No automatic redirects,
        // so a provider (or a hostile webhook) cannot bounce a credential to another host.
        services.AddSingleton(sp => new ConnectorRunner(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<ConnectorOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ICredentialRefresher>(),
            new HttpClient(sp.GetRequiredService<OutboundGuard>().CreateHandler())));
        services.AddSingleton(sp => new OAuthClient(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }), sp.GetRequiredService<ConnectorOptions>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
