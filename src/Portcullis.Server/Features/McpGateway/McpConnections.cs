using ModelContextProtocol.Client;
using Portcullis.Server.Features.Credentials;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Opens a registered server's sealed credential only to connect to it; the secret lives no longer than the session.</summary>
public sealed class McpConnections(McpUpstream upstream, CredentialVault vault)
{
    public McpCredential? CredentialOf(McpServerRow server) =>
        server.Sealed is { } sealedSecret && vault.Open(server.Id, sealedSecret).TryGetValue(McpCredential.SecretField, out var value)
            ? new McpCredential(server.CredentialHeader ?? McpCredential.DefaultHeader, value)
            : null;

    public Task<McpClient> OpenAsync(McpServerRow server, CancellationToken ct) => upstream.ConnectAsync(server.Url, CredentialOf(server), ct);

    /// <summary>Lists the tools of a server (registered, or about to be with <paramref name="credential"/>).</summary>
    public async Task<IReadOnlyList<ToolDefinition>> ListAsync(string url, McpCredential? credential, CancellationToken ct)
    {
        await using var client = await upstream.ConnectAsync(url, credential, ct);
        return await McpUpstream.ListToolsAsync(client, ct);
    }

    public Task<IReadOnlyList<ToolDefinition>> ListAsync(McpServerRow server, CancellationToken ct) => ListAsync(server.Url, CredentialOf(server), ct);

    public Portcullis.Connectors.Vault.SealedSecret Seal(string serverId, string value) =>
        vault.Seal(serverId, new Dictionary<string, string> { [McpCredential.SecretField] = value });
}
