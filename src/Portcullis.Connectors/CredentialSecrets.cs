namespace Portcullis.Connectors;

/// <summary>
/// A decrypted credential, handed to a connector for one execution. Field names per provider:
/// stripe <c>apiKey</c>; zendesk <c>subdomain</c>, <c>email</c>, <c>apiToken</c>; hubspot <c>accessToken</c>
/// (+ OAuth <c>refreshToken</c>, <c>expiresAt</c>); gmail <c>accessToken</c>, <c>refreshToken</c>,
/// <c>expiresAt</c> (unix seconds); slack <c>botToken</c>; twilio <c>accountSid</c>, <c>authToken</c>,
/// <c>fromNumber</c>; webhook <c>baseUrl</c>, optional <c>bearerToken</c>, <c>signingSecret</c>; mqtt <c>brokerUrl</c>,
/// optional <c>username</c>, <c>password</c>, <c>clientCertificate</c>, <c>caCertificate</c>.
/// </summary>
/// <param name="CredentialId">Opaque credential id (<c>cred_…</c>); also the rate-limit key.</param>
/// <param name="Provider">Provider name, one of <see cref="ActionCatalog.Providers"/>.</param>
/// <param name="Values">Field values, secrets included.</param>
public sealed record CredentialSecrets(string CredentialId, string Provider, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>
    /// Fields that identify an account rather than authenticate to it. Every other field is a secret
    /// and is redacted wherever a provider echoes it back.
    /// </summary>
    internal static readonly IReadOnlySet<string> NonSecretFields = ConnectorCatalog.All
        .SelectMany(d => d.CredentialFields).Where(f => !f.Secret).Select(f => f.Name)
        .Append("expiresAt")
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The value of a field, or null when absent or blank.</summary>
    public string? Get(string field) =>
        Values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The secret values of this credential (everything but the identifying fields).</summary>
    internal IEnumerable<string> SecretValues() =>
        Values.Where(kv => !NonSecretFields.Contains(kv.Key) && !string.IsNullOrEmpty(kv.Value)).Select(kv => kv.Value);

    // SECURITY: the compiler-generated ToString would be the first thing to land in a log line.
    /// <inheritdoc />
    public override string ToString() =>
        $"CredentialSecrets {{ CredentialId = {CredentialId}, Provider = {Provider}, Fields = [{string.Join(", ", Values.Keys)}] }}";
}
