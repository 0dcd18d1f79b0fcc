using Portcullis.Connectors.Vault;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Credentials;

public static class CredentialStatus
{
    public const string Connected = "connected";
    public const string NeedsReconnect = "needs_reconnect";
}

/// <summary>A row of <c>credentials</c>: metadata in clear, secrets sealed.</summary>
public sealed class CredentialRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Name { get; init; } = "";
    public string AuthType { get; init; } = "";
    public string Hint { get; init; } = "";
    public string Status { get; init; } = "";
    public long MasterKeyVersion { get; init; }
    public byte[] WrappedKey { get; init; } = [];
    public byte[] Ciphertext { get; init; } = [];
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? VerifiedAt { get; init; }
    public bool? VerifyOk { get; init; }
    public string? VerifyMessage { get; init; }

    public const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, provider AS Provider, name AS Name, auth_type AS AuthType, hint AS Hint, status AS Status, " +
        "master_key_version AS MasterKeyVersion, wrapped_key AS WrappedKey, ciphertext AS Ciphertext, created_at AS CreatedAt, " +
        "updated_at AS UpdatedAt, verified_at AS VerifiedAt, verify_ok AS VerifyOk, verify_message AS VerifyMessage";

    public SealedSecret Sealed => new((int)MasterKeyVersion, WrappedKey, Ciphertext);

    public CredentialDto ToDto(IReadOnlyList<string> linkedAgentIds) => new(Id, Provider, Name, AuthType, Hint, Status,
        Times.ToIso(CreatedAt), Times.ToIso(UpdatedAt), Times.ToIso(VerifiedAt), VerifyOk, VerifyMessage, linkedAgentIds);
}

/// <summary>A credential on the wire: never a secret, only the masked hint.</summary>
public sealed record CredentialDto(
    string Id, string Provider, string Name, string AuthType, string Hint, string Status, string CreatedAt, string UpdatedAt,
    string? VerifiedAt, bool? VerifyOk, string? VerifyMessage, IReadOnlyList<string> LinkedAgentIds);
