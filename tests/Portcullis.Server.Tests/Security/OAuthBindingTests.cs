using System.Net;
using Portcullis.Server.Tests.Credentials;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Security;

/// <summary>The dashboard OAuth connect flow: the state is bound to the browser and member that started it; agents are workspace-scoped.</summary>
public sealed class OAuthBindingTests(GoogleOAuthServer server) : IClassFixture<GoogleOAuthServer>
{
    [Fact]
    public async Task A_callback_from_a_browser_that_did_not_start_the_flow_connects_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var started = await ws.Owner().PostJson("/api/credentials/oauth/start", new { provider = "gmail" });
        var state = Uri.EscapeDataString((await started.Json()).GetProperty("state").GetString()!);

        // A victim tricked into opening the attacker's link: the state is valid, but the browser is not the one that started.
        var callback = await server.Anonymous().GetAsync($"/api/credentials/oauth/callback?code=auth-code-x&state={state}");

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Contains("another browser session", await callback.Content.ReadAsStringAsync());
        Assert.Empty((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
        // Single use all the same: the starter's own browser cannot finish it afterwards either.
        var late = await server.Anonymous().SendAsync(OAuthFlowTests.WithCookiesOf(started, $"/api/credentials/oauth/callback?code=auth-code-x&state={state}"));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
    }

    [Fact]
    public async Task Starting_with_an_agent_of_another_workspace_is_not_found()
    {
        var mine = await server.NewWorkspaceAsync();
        var theirs = await server.NewWorkspaceAsync();

        await (await mine.Owner().PostJson("/api/credentials/oauth/start", new { provider = "gmail", agentId = theirs.AgentId }))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
        var redirect = await mine.Owner().GetAsync($"/api/credentials/oauth/start?provider=gmail&agentId={theirs.AgentId}");
        Assert.Equal(HttpStatusCode.NotFound, redirect.StatusCode);
    }
}
