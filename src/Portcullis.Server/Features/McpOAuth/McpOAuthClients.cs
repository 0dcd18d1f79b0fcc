using System.Text.Json;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>An MCP client known to the authorization server: the name it gave itself (unverified) and its redirect URIs.</summary>
public sealed record McpOAuthClient(string Id, string? Name, IReadOnlyList<string> RedirectUris, long CreatedAt)
{
    public bool Allows(string redirectUri) => RedirectUris.Contains(redirectUri, StringComparer.Ordinal);
}

/// <summary>Stores clients registered through RFC 7591 dynamic client registration. They are public clients: no secret.</summary>
public sealed class McpOAuthClients(Database database, TimeProvider time)
{
    public async Task<McpOAuthClient> RegisterAsync(string? name, IReadOnlyList<string> redirectUris, CancellationToken ct)
    {
        var client = new McpOAuthClient(Ids.New("mcl", time), name, redirectUris, time.Now());
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO mcp_oauth_clients (id, name, redirect_uris, created_at) VALUES (@Id, @Name, @uris, @CreatedAt)",
            new { client.Id, client.Name, uris = JsonSerializer.Serialize(redirectUris), client.CreatedAt }, t), ct);
        return client;
    }

    public async Task<McpOAuthClient?> FindAsync(string? clientId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 100)
        {
            return null;
        }

        var row = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<Row>(
            "SELECT id AS Id, name AS Name, redirect_uris AS Uris, created_at AS CreatedAt FROM mcp_oauth_clients WHERE id = @clientId",
            new { clientId }), ct);
        return row is null ? null : new McpOAuthClient(row.Id, row.Name, JsonSerializer.Deserialize<string[]>(row.Uris) ?? [], row.CreatedAt);
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string? Name { get; init; }
        public string Uris { get; init; } = "[]";
        public long CreatedAt { get; init; }
    }
}
