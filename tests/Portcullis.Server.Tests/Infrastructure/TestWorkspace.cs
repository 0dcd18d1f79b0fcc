using System.Net;
using System.Text.Json;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>A workspace under test: its owner's token and its first agent's key.</summary>
public sealed class TestWorkspace(ServerFixture server, WorkspaceProvisioner.Created? created, string agentKey, string ownerToken)
{
    public ServerFixture Server => server;

    public string AgentKey => agentKey;

    public string OwnerToken => ownerToken;

    public string? WorkspaceId => created?.WorkspaceId;

    public string? AgentId => created?.AgentId;

    public HttpClient Agent() => server.WithBearer(agentKey);

    public HttpClient Owner() => server.WithBearer(ownerToken);

    /// <summary>Adds a member with <paramref name="role"/> and signs them in; returns their session token.</summary>
    public async Task<string> MemberTokenAsync(string role)
    {
        var email = $"{role}-{Guid.NewGuid():n}@example.com";
        var added = await Owner().PostJson("/api/workspace/members", new { email, name = role, password = "a long enough password", role });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var login = await server.Anonymous().PostJson("/api/auth/login", new { email, password = "a long enough password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.Json()).GetProperty("token").GetString()!;
    }

    /// <summary>Starts a run as this workspace's agent and returns its id.</summary>
    public async Task<string> StartRunAsync(string triggerType = "support-ticket", string? externalRef = null)
    {
        var response = await Agent().PostJson("/api/ingest/run-start", new { triggerType, externalRef });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("runId").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string runId)
    {
        var response = await Owner().GetAsync($"/api/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}
