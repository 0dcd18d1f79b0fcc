using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Policies;
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
        services.AddSingleton<CreatePolicy>();
        services.AddSingleton<UpdatePolicy>();
        services.AddSingleton<UpdateSettings>();
        services.AddSingleton<AddMember>();
        services.AddSingleton<ChangeMemberRole>();
        services.AddSingleton<SignInMember>();
        services.AddSingleton<CreateCredential>();
        services.AddSingleton<LinkCredential>();
        return services;
    }
}
