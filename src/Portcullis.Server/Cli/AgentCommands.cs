using System.CommandLine;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis agents freeze NAME [--reason R]</c> and <c>unfreeze NAME</c>: the kill switch from a shell on the server, on the
/// local database (no server needs to answer). The same use case as the API, audited as done by the system via the CLI.
/// </summary>
public static class AgentCommands
{
    public static Command Create()
    {
        var agents = new Command("agents", "Freeze or unfreeze an agent (the kill switch), or issue it a new key.");
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (default: the one with an agent of that name)" };
        var reason = new Option<string?>("--reason") { Description = "Why; every blocked request answers it" };

        var nameOfFreeze = new Argument<string>("name") { Description = "The agent's name" };
        var freeze = new Command("freeze", "Block every action of the agent from its next request on.") { nameOfFreeze, workspace, reason };
        freeze.SetAction((parse, ct) => SetAsync(parse.GetValue(nameOfFreeze)!, parse.GetValue(workspace), true, parse.GetValue(reason), ct));

        var nameOfUnfreeze = new Argument<string>("name") { Description = "The agent's name" };
        var unfreeze = new Command("unfreeze", "Let the agent act again.") { nameOfUnfreeze, workspace };
        unfreeze.SetAction((parse, ct) => SetAsync(parse.GetValue(nameOfUnfreeze)!, parse.GetValue(workspace), false, null, ct));

        agents.Subcommands.Add(freeze);
        agents.Subcommands.Add(unfreeze);
        agents.Subcommands.Add(AgentKeyCommands.Create());
        return agents;
    }

    private static async Task<int> SetAsync(string name, string? workspaceId, bool frozen, string? reason, CancellationToken ct)
    {
        await using var host = CliApp.BuildHost();
        await Startup.PrepareAsync(host.Services, ct);
        var database = host.Services.GetRequiredService<Database>();
        var matches = (await database.ReadAsync(c => c.QueryAsync<(string Id, string WorkspaceId)>(
            "SELECT id, workspace_id FROM agents WHERE name = @name AND (@workspaceId IS NULL OR workspace_id = @workspaceId) ORDER BY created_at",
            new { name, workspaceId }), ct)).ToList();
        if (matches.Count != 1)
        {
            await Console.Error.WriteLineAsync(matches.Count == 0
                ? $"no agent named `{name}`"
                : $"{matches.Count} agents are named `{name}`; choose a workspace with --workspace: {string.Join(", ", matches.Select(m => m.WorkspaceId))}");
            return 2;
        }

        var (agentId, ws) = matches[0];
        await host.Services.GetRequiredService<FreezeSwitch>().SetAsync(ws, FreezeScope.Agent, agentId, Actor.System, frozen, reason, ct);
        Console.WriteLine(frozen ? $"agent `{name}` ({agentId}) is frozen" : $"agent `{name}` ({agentId}) is no longer frozen");
        return 0;
    }
}
