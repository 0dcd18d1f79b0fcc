using Portcullis.Connectors.Security;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Register an upstream MCP server. <see cref="Credential"/> is the secret (sealed, never shown again); <see cref="CredentialHeader"/> defaults to Authorization.</summary>
public sealed record RegisterMcpServerCommand(Member Actor, string? Name, string? Url, string? Credential, string? CredentialHeader);

public abstract record RegisterMcpServerResult
{
    private RegisterMcpServerResult()
    {
    }

    public sealed record Created(McpServerDto Server) : RegisterMcpServerResult;

    public sealed record Invalid(FieldErrors Errors) : RegisterMcpServerResult;

    public sealed record NameTaken(string Name) : RegisterMcpServerResult;

    /// <summary>The URL is one the outbound guard refuses (internal address, plain http, user info…); nothing was saved.</summary>
    public sealed record UrlNotAllowed(string Reason) : RegisterMcpServerResult;

    /// <summary>The server could not be reached or listed: nothing was saved.</summary>
    public sealed record UpstreamFailed(string Message) : RegisterMcpServerResult;
}

/// <summary>Checks the URL against the outbound guard, lists the upstream's tools, and saves the server with each tool pinned as pending.</summary>
public sealed class RegisterMcpServer(Database database, McpConnections connections, OutboundGuard guard, AuditTrail audit, TimeProvider time)
{
    public async Task<RegisterMcpServerResult> ExecuteAsync(RegisterMcpServerCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var name = errors.Text("name", command.Name, required: true, maxLength: McpNames.MaxServerName);
        if (name is not null && !McpNames.IsServerName(name))
        {
            errors.Add("name", "must start with a lowercase letter and hold only lowercase letters, digits and `_`");
        }

        var url = CheckUrl(errors, command.Url);
        var secret = errors.Text("credential", command.Credential, maxLength: 4096);
        var header = errors.Text("credentialHeader", command.CredentialHeader, maxLength: 64);
        if (header is not null && !System.Text.RegularExpressions.Regex.IsMatch(header, "^[A-Za-z0-9-]+$"))
        {
            errors.Add("credentialHeader", "must be an HTTP header name");
        }

        if (errors.Any)
        {
            return new RegisterMcpServerResult.Invalid(errors);
        }

        if (await guard.ProblemAsync(url!, OutboundUrlRules.Endpoint, ct) is { } refused)
        {
            return new RegisterMcpServerResult.UrlNotAllowed(refused);
        }

        var credential = secret is null ? null : new McpCredential(header ?? McpCredential.DefaultHeader, secret);
        IReadOnlyList<ToolDefinition> tools;
        try
        {
            tools = await connections.ListAsync(url!, credential, ct);
        }
        catch (Exception ex) when (McpUpstream.IsUpstreamFailure(ex))
        {
            return new RegisterMcpServerResult.UpstreamFailed(McpUpstream.Describe(ex));
        }

        return await SaveAsync(command.Actor, name!, url!, credential, tools, ct);
    }

    private static string? CheckUrl(FieldErrors errors, string? text)
    {
        var url = errors.Text("url", text, required: true, maxLength: 2048);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add("url", "must be an absolute http or https URL without a fragment");
            return null;
        }

        return url;
    }

    private async Task<RegisterMcpServerResult> SaveAsync(
        Member actor, string name, string url, McpCredential? credential, IReadOnlyList<ToolDefinition> tools, CancellationToken ct)
    {
        var id = Ids.New("mcs", time);
        var sealedSecret = credential is null ? null : connections.Seal(id, credential.Value);
        var now = time.Now();
        var row = new McpServerRow
        {
            Id = id,
            WorkspaceId = actor.WorkspaceId,
            Name = name,
            Url = url,
            CredentialHeader = credential?.Header,
            CredentialHint = credential is null ? null : SecretMask.Hint(credential.Value),
            MasterKeyVersion = sealedSecret?.MasterKeyVersion,
            WrappedKey = sealedSecret?.WrappedDataKey,
            Ciphertext = sealedSecret?.Ciphertext,
            CreatedBy = actor.UserId,
            CreatedAt = now,
            RefreshedAt = now,
        };
        var dto = await database.WriteAsync(async (c, t) =>
        {
            if (await McpServerStore.InsertServerAsync(c, t, row) == 0)
            {
                return null;
            }

            foreach (var tool in tools.DistinctBy(d => d.Name))
            {
                await McpServerStore.InsertToolAsync(c, t, actor.WorkspaceId, id, tool, now);
            }

            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "mcp.server_registered", "mcp_server", id, new
            {
                name,
                url,
                credentialHint = row.CredentialHint,
                tools = tools.Select(d => new { d.Name, hash = d.Hash }),
            });
            return await McpServerStore.DtoAsync(c, row, t);
        }, ct);
        return dto is null ? new RegisterMcpServerResult.NameTaken(name) : new RegisterMcpServerResult.Created(dto);
    }
}
