using System.CommandLine;
using Dapper;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis agents keys create --agent NAME [--workspace ID] [--name KEY]</c>: a new key for an agent whose keys are all
/// lost, from a shell on the server. Printed once, stored only as a hash, audited as <c>agent_key.created</c> by the system.
/// </summary>
public static class AgentKeyCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "Manage an agent's API keys from the server.");
        var agent = new Option<string>("--agent") { Description = "The agent's name", Required = true };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (default: the one with an agent of that name)" };
        var name = new Option<string?>("--name") { Description = "A label for the key (default: cli)" };
        var create = new Command("create", "Issue a new key and print it once.") { agent, workspace, name };
        create.SetAction((parse, ct) => CreateAsync(parse.GetValue(agent)!, parse.GetValue(workspace), parse.GetValue(name) ?? "cli", ct));
        keys.Subcommands.Add(create);
        return keys;
    }

    private static async Task<int> CreateAsync(string agentName, string? workspaceId, string keyName, CancellationToken ct)
    {
        await using var host = CliApp.BuildHost();
        await Startup.PrepareAsync(host.Services, ct);
        var database = host.Services.GetRequiredService<Database>();
        var matches = (await database.ReadAsync(c => c.QueryAsync<(string Id, string WorkspaceId)>(
            "SELECT id, workspace_id FROM agents WHERE name = @agentName AND (@workspaceId IS NULL OR workspace_id = @workspaceId) ORDER BY created_at",
            new { agentName, workspaceId }), ct)).ToList();
        if (matches.Count != 1)
        {
            await Console.Error.WriteLineAsync(matches.Count == 0
                ? $"no agent named `{agentName}`"
                : $"{matches.Count} agents are named `{agentName}`; choose a workspace with --workspace: {string.Join(", ", matches.Select(m => m.WorkspaceId))}");
            return AdminCommands.NotFound;
        }

        var (agentId, ws) = matches[0];
        var issuer = host.Services.GetRequiredService<AgentKeyIssuer>();
        var audit = host.Services.GetRequiredService<AuditTrail>();
        var key = await database.WriteAsync(async (c, t) =>
        {
            var issued = await issuer.IssueAsync(c, t, ws, agentId, keyName);
            await audit.AppendAsync(c, t, ws, Actor.System, "agent_key.created", "agent_key", issued.Id, new { agentId, prefix = issued.Prefix, via = "cli" });
            return issued;
        }, ct);
        Console.WriteLine($"new key {key.Id} for agent `{agentName}` ({agentId}), shown this once: {key.Key}");
        return 0;
    }
}
