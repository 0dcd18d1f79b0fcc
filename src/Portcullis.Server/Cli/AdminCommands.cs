using System.CommandLine;
using System.Security.Cryptography;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis admin reset-password --email E [--password-stdin]</c>: recovery from a shell on the server, on the local
/// database, when the only owner has lost their password. Prints a generated password once (or takes one from stdin), ends
/// the user's sessions, and is audited in each of their workspaces as done by the system via the CLI.
/// </summary>
public static class AdminCommands
{
    public const int NotFound = 2;

    public static Command Create()
    {
        var admin = new Command("admin", "Recover access from a shell on the server.");
        var email = new Option<string>("--email") { Description = "The user's email", Required = true };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input instead of generating one" };
        var reset = new Command("reset-password", "Set a new password for a user and end their sessions.") { email, fromStdin };
        reset.SetAction((parse, ct) => ResetAsync(parse.GetValue(email)!, parse.GetValue(fromStdin), ct));
        admin.Subcommands.Add(reset);
        return admin;
    }

    private static async Task<int> ResetAsync(string email, bool fromStdin, CancellationToken ct)
    {
        var password = fromStdin ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') : Generate();
        if (password is null || password.Length < Passwords.MinLength)
        {
            await Console.Error.WriteLineAsync($"the password must be at least {Passwords.MinLength} characters");
            return NotFound;
        }

        await using var host = CliApp.BuildHost();
        await Startup.PrepareAsync(host.Services, ct);
        var database = host.Services.GetRequiredService<Database>();
        var normalised = email.Trim().ToLowerInvariant();
        var hash = host.Services.GetRequiredService<Passwords>().Hash(password);
        var audit = host.Services.GetRequiredService<AuditTrail>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var userId = await database.WriteAsync(async (c, t) =>
        {
            var id = await c.QueryFirstOrDefaultAsync<string>("SELECT id FROM users WHERE email = @normalised", new { normalised }, t);
            if (id is null)
            {
                return null;
            }

            await c.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @id", new { hash, id }, t);
            // SECURITY: whoever had the old password may hold a session too; every one of them ends now.
            await c.ExecuteAsync("UPDATE user_tokens SET revoked_at = @now WHERE user_id = @id AND kind = 'session' AND revoked_at IS NULL",
                new { now, id }, t);
            foreach (var workspaceId in await c.QueryAsync<string>("SELECT workspace_id FROM members WHERE user_id = @id", new { id }, t))
            {
                await audit.AppendAsync(c, t, workspaceId, Actor.System, "member.password_reset", "user", id, new { via = "cli" });
            }

            return id;
        }, ct);
        if (userId is null)
        {
            await Console.Error.WriteLineAsync($"no user with the email `{normalised}`");
            return NotFound;
        }

        Console.WriteLine(fromStdin
            ? $"the password of {normalised} ({userId}) was reset; their sessions have ended"
            : $"new password for {normalised} ({userId}), shown this once: {password}");
        return 0;
    }

    // 24 characters from a 64-symbol alphabet: 144 bits, and nothing a shell would mangle.
    private static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
