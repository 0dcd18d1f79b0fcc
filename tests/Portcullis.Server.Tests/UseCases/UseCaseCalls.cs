using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>Calls an application service directly, as a transport other than HTTP would.</summary>
public static class UseCaseCalls
{
    public static T Service<T>(this ServerFixture server) where T : notnull => server.Factory.Services.GetRequiredService<T>();

    /// <summary>The owner of a workspace made with <see cref="ServerFixture.NewWorkspaceAsync"/>, as the actor of a command.</summary>
    public static async Task<Member> OwnerAsync(this TestWorkspace ws)
    {
        var members = await (await ws.Owner().GetAsync("/api/workspace/members")).Json();
        var first = members[0];
        return new Member(first.GetProperty("userId").GetString()!, ws.WorkspaceId!, Role.Owner, "tok_test", first.GetProperty("email").GetString()!);
    }
}
