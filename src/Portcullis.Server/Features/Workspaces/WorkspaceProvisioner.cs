using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Creates a workspace with its owner and a first agent holding one API key.</summary>
public sealed class WorkspaceProvisioner(Membership membership, AgentKeyIssuer keys, MemberTokens tokens, AuditTrail audit, TimeProvider time)
{
    public sealed record Request(string WorkspaceName, string OwnerEmail, string OwnerPassword, string AgentName,
        string? AgentKey = null, string? OwnerToken = null, string ConnectorMode = "demo", bool OwnerOwnsAgent = true);

    public sealed record Created(string WorkspaceId, string OwnerUserId, string AgentId, string AgentKey);

    public async Task<Created> CreateAsync(DbConnection c, DbTransaction t, Request request)
    {
        var workspaceId = Ids.New("ws", time);
        await WorkspaceStore.InsertAsync(c, t, workspaceId, request.WorkspaceName, time.Now(), request.ConnectorMode);
        var userId = await membership.AddAsync(c, t, workspaceId, request.OwnerEmail, "Owner", request.OwnerPassword, Role.Owner)
            ?? throw new InvalidOperationException("a new workspace has no members yet");

        var agentId = Ids.New("agt", time);
        await c.ExecuteAsync(
            "INSERT INTO agents (id, workspace_id, name, description, owner_user_id, created_at) VALUES (@agentId, @workspaceId, @name, @d, @userId, @now)",
            new
            {
                agentId, workspaceId, name = request.AgentName, now = time.Now(),
                d = request.OwnerOwnsAgent ? "Created with the workspace" : "Created with the workspace; owned by no member",
                userId = request.OwnerOwnsAgent ? userId : null,
            }, t);
        var key = await keys.IssueAsync(c, t, workspaceId, agentId, "first", request.AgentKey);
        if (request.OwnerToken is not null)
        {
            await tokens.IssueAsync(c, t, workspaceId, userId, MemberTokens.AccessTokenKind, "init", request.OwnerToken);
        }

        await audit.AppendAsync(c, t, workspaceId, Actor.System, "workspace.created", "workspace", workspaceId,
            new { name = request.WorkspaceName, owner = request.OwnerEmail, agent = request.AgentName });
        return new Created(workspaceId, userId, agentId, key.Key);
    }
}
