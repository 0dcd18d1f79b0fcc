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

    /// <summary>Invites a new member with <paramref name="role"/>, who accepts; returns their session token.</summary>
    public async Task<string> MemberTokenAsync(string role)
    {
        var email = $"{role}-{Guid.NewGuid():n}@example.com";
        var accepted = await Owner().AddMemberAsync(server.Anonymous(), email, role, name: role);
        return accepted.GetProperty("token").GetString()!;
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
