using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Infrastructure.Json;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// What an approver approves, as one value: the lowercase hex SHA-256 of the RFC 8785 canonical JSON of
/// <c>{actionType, provider, resourceType, resourceId, payload}</c>, absent fields omitted. Dispatch recomputes it over
/// what it is about to send and refuses a mismatch, so nothing but the approved call goes out.
/// </summary>
public static class ArgumentsDigest
{
    /// <summary>The execution error code of an approved action whose stored arguments no longer match the digest.</summary>
    public const string MismatchCode = "digest_mismatch";

    /// <summary>How many leading hex digits the dashboard shows.</summary>
    public const int ShortLength = 12;

    public static string Of(string actionType, string? provider, string? resourceType, string? resourceId, JsonElement payload)
    {
        // Members in RFC 8785 order (UTF-16 code units): actionType, payload, provider, resourceId, resourceType.
        var builder = new StringBuilder("{\"actionType\":");
        JsonCanonicalizer.WriteString(builder, actionType);
        builder.Append(",\"payload\":");
        JsonCanonicalizer.Write(builder, payload);
        Member(builder, "provider", provider);
        Member(builder, "resourceId", resourceId);
        Member(builder, "resourceType", resourceType);
        builder.Append('}');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    public static string Of(string actionType, string? provider, string? resourceType, string? resourceId, string payloadJson)
    {
        using var payload = JsonDocument.Parse(payloadJson);
        return Of(actionType, provider, resourceType, resourceId, payload.RootElement);
    }

    public static string? Short(string? digest) => digest is null ? null : digest[..Math.Min(ShortLength, digest.Length)];

    private static void Member(StringBuilder builder, string name, string? value)
    {
        if (value is not null)
        {
            builder.Append(",\"").Append(name).Append("\":");
            JsonCanonicalizer.WriteString(builder, value);
        }
    }
}
