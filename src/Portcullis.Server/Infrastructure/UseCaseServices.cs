using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// The application services: one per behaviour, with a typed command and a closed result, called by the
/// REST handlers and the dashboard's pages alike (docs/architecture.md, "Application services").
/// </summary>
public static class UseCaseServices
{
    public static IServiceCollection AddUseCases(this IServiceCollection services)
    {
        services.AddSingleton<CreateAgent>();
        services.AddSingleton<CreateAgentKey>();
        services.AddSingleton<RevokeAgentKey>();
        services.AddSingleton<CreatePolicy>();
        services.AddSingleton<UpdatePolicy>();
        services.AddSingleton<DeletePolicy>();
        services.AddSingleton<Features.Policies.Files.ImportPolicies>();
        services.AddSingleton<UpdateSettings>();
        services.AddSingleton<AddMember>();
        services.AddSingleton<Features.Workspaces.Invitations.InvitationStore>();
        services.AddSingleton<Features.Workspaces.Invitations.AcceptInvitation>();
        services.AddSingleton<Features.Workspaces.Invitations.RevokeInvitation>();
        services.AddSingleton<CreateWorkspace>();
        services.AddSingleton<SwitchWorkspace>();
        services.AddSingleton<ChangeMemberRole>();
        services.AddSingleton<RemoveMember>();
        services.AddSingleton<SignInMember>();
        services.AddSingleton<SignOutMember>();
        services.AddSingleton<CreateCredential>();
        services.AddSingleton<LinkCredential>();
        services.AddSingleton<UnlinkCredential>();
        services.AddSingleton<VerifyCredential>();
        services.AddSingleton<VerifyDraftCredential>();
        services.AddSingleton<DeleteCredential>();
        return services;
    }

    /// <summary>The read side the REST handlers and the pages share: queries returning DTOs, no <c>HttpContext</c>.</summary>
    public static IServiceCollection AddQueries(this IServiceCollection services)
    {
        services.AddSingleton<AgentQueries>();
        services.AddSingleton<IntegrationQueries>();
        services.AddSingleton<WorkspaceQueries>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<AuditQueries>();
        return services;
    }
}
