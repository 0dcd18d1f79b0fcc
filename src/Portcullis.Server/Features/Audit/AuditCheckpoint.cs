using System.Text.Json;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// A signed statement "workspace W's audit chain had hash H at seq S at time T". The signed bytes are
/// <see cref="Statement"/>: compact JSON in a fixed field order, so anyone can rebuild and check them with the public key.
/// </summary>
public sealed record AuditCheckpoint(string Id, string WorkspaceId, long Seq, byte[] Hash, long CreatedAt, string PublicKeyId, byte[] Signature)
{
    public const string Format = "portcullis-audit-checkpoint/v1";

    /// <summary>The exact UTF-8 text the signature covers.</summary>
    public byte[] Statement() => StatementOf(WorkspaceId, Seq, Hash, CreatedAt);

    public static byte[] StatementOf(string workspaceId, long seq, byte[] hash, long createdAt)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("workspaceId", workspaceId);
            writer.WriteNumber("seq", seq);
            writer.WriteString("hash", Convert.ToHexStringLower(hash));
            writer.WriteNumber("createdAt", createdAt);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public bool SignedBy(byte[] publicKey) => AuditKeys.Verify(publicKey, Statement(), Signature);

    /// <summary>The API and export shape; <c>statement</c> is the signed text, to publish as it is.</summary>
    public Dto ToDto() => new(Id, WorkspaceId, Seq, Convert.ToHexStringLower(Hash), CreatedAt, PublicKeyId, Convert.ToBase64String(Signature),
        System.Text.Encoding.UTF8.GetString(Statement()));

    public sealed record Dto(string Id, string WorkspaceId, long Seq, string Hash, long CreatedAt, string PublicKeyId, string Signature, string Statement)
    {
        public AuditCheckpoint ToCheckpoint() =>
            new(Id, WorkspaceId, Seq, Convert.FromHexString(Hash), CreatedAt, PublicKeyId, Convert.FromBase64String(Signature));
    }
}
