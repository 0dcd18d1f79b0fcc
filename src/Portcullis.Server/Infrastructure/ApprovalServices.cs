using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Features.Approvals.Callbacks;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Features.Approvals.Email;

namespace Portcullis.Server.Infrastructure;

/// <summary>Service registrations and routes of approvals: decisions, expiry, and the signed callback outbox.</summary>
public static class ApprovalServices
{
    public static IServiceCollection AddApprovals(this IServiceCollection services)
    {
        services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section)
            .Validate(o => o.SweepIntervalSeconds > 0 && o.LongPollIntervalMs > 0 && o.CallbackPollIntervalMs > 0 && o.CallbackTimeoutSeconds > 0,
                "approval intervals and time-outs must be positive")
            .ValidateOnStart();
        services.AddSingleton<ApprovalQueries>();
        services.AddSingleton<ApprovalTransitions>();
        services.AddSingleton<ApprovalDecider>();
        services.AddSingleton<Features.Approvals.Edits.EditRecorder>();
        services.AddSingleton<Features.Approvals.Edits.EditChecker>();
        services.AddSingleton<Features.Approvals.Groups.ApprovalEscalation>();
        services.AddSingleton<Features.Approvals.Groups.ApproverGroupStore>();
        services.AddSingleton<Features.Dashboard.IApprovalDecider, DashboardApprovalDecider>();
        services.AddSingleton<ApprovalExpiry>();
        services.AddSingleton<ApprovalWaiter>();
        services.AddSingleton<CallbackOutbox>();
        services.AddSingleton<SigningSecrets>();
        // SECURITY: no automatic redirects, so a receiver cannot bounce a signed outcome to another host, and every
        // connection checked by the outbound guard. Each attempt has its own time-out; the client's is off.
        services.AddSingleton(sp => new CallbackSender(
            new HttpClient(sp.GetRequiredService<OutboundGuard>().CreateHandler())
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<OutboundGuard>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ApprovalSweeper>();
        services.AddHostedService<CallbackDeliverer>();
        services.AddSlackApprovals();
        services.AddApprovalEmail();
        return services;
    }

    /// <summary>The approvals routes, agent-facing <c>GET /api/approvals/{id}</c> included.</summary>
    public static RouteGroupBuilder MapApprovals(this RouteGroupBuilder group) =>
        Features.Approvals.Groups.ApproverGroupsApi.Map(ApprovalsApi.Map(group)).MapSlackApprovals();
}
