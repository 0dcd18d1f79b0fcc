using Microsoft.AspNetCore.Authentication;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;

namespace Portcullis.Server.Infrastructure;

/// <summary>The operators' dashboard (server-rendered Razor Pages) and the audit API, wired in one place.</summary>
public static class DashboardServices
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton(sp => new AuditVerifier(sp.GetRequiredService<Portcullis.Storage.Database>(), sp.GetRequiredService<AuditKeys>(),
            sp.GetRequiredService<AuditChainer>()));
        services.AddHostedService<AuditChainWorker>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, SessionCookieHandler>(SessionCookie.Scheme, null);
        services.AddAuthorization(DashboardPolicies.Add);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "portcullis_antiforgery";
            o.HeaderName = "RequestVerificationToken";
        });
        services.AddScoped<DashboardContext>();
        services.AddSingleton<Features.Dashboard.Connect.CredentialForms>();
        services.AddSingleton<Features.Dashboard.Workflows.AgentWorkflows>();
        services.AddSingleton<Features.Dashboard.Overview.OverviewQueries>();
        services.AddSingleton<Features.Dashboard.Search.DashboardSearch>();
        services.AddSingleton<Features.Dashboard.RunList.RunSummaries>();
        services.AddExceptionHandler<DashboardErrorHandler>();
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features/Dashboard/Pages";
                o.Conventions.AuthorizeFolder("/", DashboardPolicies.Viewer);
                o.Conventions.AllowAnonymousToPage("/Login");
                o.Conventions.AllowAnonymousToPage("/Invitations/Accept");
            })
            .AddMvcOptions(o =>
            {
                o.Filters.Add<RoleGate>();
                o.Filters.Add<AntiforgeryFailurePage>();
            });
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGroup("/api").WithTags("Management API").MapAudit().MapAuditCheckpoints();
        app.UseDashboardSecurityHeaders();
        app.MapRazorPages();
        DashboardEndpoints.Map(app);
        app.MapApiReference();
        app.MapNotFoundPage();
        return app;
    }
}
