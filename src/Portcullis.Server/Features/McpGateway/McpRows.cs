using System.Text.Json;
using Portcullis.Connectors.Vault;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Pin states of an upstream tool.</summary>
public static class McpToolStatus
{
    /// <summary>Listed, never approved: not offered to agents, and a call is refused.</summary>
    public const string Pending = "pending";

    /// <summary>An admin approved this exact definition.</summary>
    public const string Approved = "approved";

    /// <summary>Approved once, but the upstream now lists another definition: blocked until approved again.</summary>
    public const string Changed = "changed";
}

/// <summary>A row of <c>mcp_servers</c>. The sealed credential never leaves this type except to be opened for a call.</summary>
public sealed class McpServerRow
{
    public const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, name AS Name, url AS Url, credential_header AS CredentialHeader, credential_hint AS CredentialHint, " +
        "master_key_version AS MasterKeyVersion, wrapped_key AS WrappedKey, ciphertext AS Ciphertext, created_by AS CreatedBy, " +
        "created_at AS CreatedAt, refreshed_at AS RefreshedAt";

    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public string? CredentialHeader { get; init; }
    public string? CredentialHint { get; init; }
    public long? MasterKeyVersion { get; init; }
    public byte[]? WrappedKey { get; init; }
    public byte[]? Ciphertext { get; init; }
    public string CreatedBy { get; init; } = "";
    public long CreatedAt { get; init; }
    public long RefreshedAt { get; set; }

    public SealedSecret? Sealed => MasterKeyVersion is { } v && WrappedKey is { } k && Ciphertext is { } x ? new((int)v, k, x) : null;

    public McpServerDto ToDto(IReadOnlyList<McpToolRow> tools, IReadOnlyList<string> agentIds) => new(
        Id, Name, Url, CredentialHint is null ? null : new McpCredentialDto(CredentialHeader ?? McpCredential.DefaultHeader, CredentialHint),
        agentIds, tools.Select(t => t.ToDto(Name)).ToList(), Times.ToIso(CreatedAt), Times.ToIso(RefreshedAt));
}

/// <summary>A row of <c>mcp_tools</c>: the definition as last listed, and what was approved.</summary>
public sealed class McpToolRow
{
    public const string Columns =
        "server_id AS ServerId, name AS Name, description AS Description, input_schema AS InputSchema, read_only_hint AS ReadOnlyHint, " +
        "destructive_hint AS DestructiveHint, idempotent_hint AS IdempotentHint, open_world_hint AS OpenWorldHint, definition_hash AS DefinitionHash, " +
        "status AS Status, approved_hash AS ApprovedHash, approved_by AS ApprovedBy, approved_at AS ApprovedAt";

    public string ServerId { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string InputSchema { get; init; } = "{}";
    public bool? ReadOnlyHint { get; init; }
    public bool? DestructiveHint { get; init; }
    public bool? IdempotentHint { get; init; }
    public bool? OpenWorldHint { get; init; }
    public string DefinitionHash { get; init; } = "";
    public string Status { get; init; } = "";
    public string? ApprovedHash { get; init; }
    public string? ApprovedBy { get; init; }
    public long? ApprovedAt { get; init; }

    public ToolDefinition Definition => new(Name, Description, InputSchema, ReadOnlyHint, DestructiveHint, IdempotentHint, OpenWorldHint);

    public McpToolDto ToDto(string serverName)
    {
        using var schema = JsonDocument.Parse(InputSchema);
        return new(Name, McpNames.ActionType(serverName, Name), McpNames.ToolName(serverName, Name), Description, schema.RootElement.Clone(),
            new McpToolAnnotationsDto(ReadOnlyHint, DestructiveHint, IdempotentHint, OpenWorldHint),
            DefinitionHash, Status, ApprovedHash, ApprovedBy, Times.ToIso(ApprovedAt));
    }
}

public sealed record McpCredentialDto(string Header, string Hint);

public sealed record McpServerDto(
    string Id, string Name, string Url, McpCredentialDto? Credential, IReadOnlyList<string> AgentIds, IReadOnlyList<McpToolDto> Tools,
    string CreatedAt, string RefreshedAt);

public sealed record McpToolAnnotationsDto(bool? ReadOnlyHint, bool? DestructiveHint, bool? IdempotentHint, bool? OpenWorldHint);

public sealed record McpToolDto(
    string Name, string ActionType, string? GatewayName, string? Description, JsonElement InputSchema, McpToolAnnotationsDto Annotations,
    string DefinitionHash, string Status, string? ApprovedHash, string? ApprovedBy, string? ApprovedAt);

/// <summary>What a refresh found: tools new (pending), changed (blocked until re-approved), back to their approved form, and gone.</summary>
public sealed record McpRefreshDto(McpServerDto Server, IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Restored,
    IReadOnlyList<string> Removed);
