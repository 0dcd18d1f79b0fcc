using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Bootstrap;

/// <summary>
/// On the very first start (no workspace in the database), creates the demo workspace, its owner and
/// a demo agent with an API key. Generated secrets are returned so they can be shown once.
/// </summary>
public sealed class FirstStart(Database database, WorkspaceProvisioner provisioner, IOptions<InitOptions> init)
{
    public const string DefaultAdminEmail = "admin@portcullis.local";

    /// <summary>What was created; secrets appear only when Portcullis generated them.</summary>
    public sealed record Report(string WorkspaceId, string WorkspaceName, string AdminEmail, string? GeneratedPassword,
        string AgentName, string? GeneratedAgentKey);

    public async Task<Report?> RunAsync(CancellationToken ct)
    {
        var o = init.Value;
        return await database.WriteAsync<Report?>(async (c, t) =>
        {
            // INVARIANT: seeding happens once. The write transaction (and, on PostgreSQL, the table
            // lock) makes a second instance starting at the same moment see the first one's rows.
            await database.Dialect.LockTableAsync(c, t, "workspaces");

            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workspaces", transaction: t) > 0)
            {
                return null;
            }

            var password = Given(o.AdminPassword);
            var generatedPassword = password is null
                ? RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20)
                : null;
            var request = new WorkspaceProvisioner.Request(
                Given(o.WorkspaceName) ?? "Demo workspace",
                Given(o.AdminEmail) ?? DefaultAdminEmail,
                password ?? generatedPassword!,
                Given(o.AgentName) ?? "demo-agent",
                Given(o.AgentKey),
                Given(o.AdminToken),
                // The demo agent belongs to no member: the owner, alone in a fresh workspace, can approve its held actions,
                // while self-approval (a member approving the actions of an agent they own) stays forbidden by default.
                OwnerOwnsAgent: false);
            var created = await provisioner.CreateAsync(c, t, request);
            return new Report(created.WorkspaceId, request.WorkspaceName, request.OwnerEmail, generatedPassword,
                request.AgentName, request.AgentKey is null ? created.AgentKey : null);
        }, ct);
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
