using Portcullis.Connectors;
using Portcullis.Connectors.Security;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// A credential as typed in, not yet saved: provider and secret fields checked the same way whether they are
/// about to be saved (<see cref="CreateCredential"/>) or only tried (<see cref="VerifyDraftCredential"/>).
/// </summary>
public static class CredentialDraft
{
    /// <summary>The provider named, or null with the problem added to <paramref name="errors"/>.</summary>
    public static string? Provider(FieldErrors errors, string? provider) =>
        errors.OneOf("provider", provider, ProviderFields.ByProvider.Keys.ToArray(), required: true);

    /// <summary>The provider's fields as given, or null with the problems added to <paramref name="errors"/>.</summary>
    public static Dictionary<string, string>? Secrets(FieldErrors errors, string? provider, IReadOnlyDictionary<string, string?>? given)
    {
        if (given is null && !errors.Has("secrets"))
        {
            errors.Add("secrets", "is required");
        }

        return provider is null || given is null ? null : ValidSecrets(errors, provider, given);
    }

    /// <summary>The first URL field the outbound guard refuses, or null when every URL may be reached.</summary>
    public static async Task<(string Field, string Reason)?> UrlProblemAsync(OutboundGuard guard, string provider, IReadOnlyDictionary<string, string> secrets, CancellationToken ct)
    {
        // SECURITY: a URL field is where the connector will send the credential; checked here, again at every connection.
        foreach (var field in ConnectorCatalog.Find(provider)!.CredentialFields.Where(f => (f.Url || f.GuardedHost) && secrets.ContainsKey(f.Name)))
        {
            var value = secrets[field.Name];
            var refused = field.Url
                ? await guard.ProblemAsync(value, OutboundUrlRules.BaseUrl, ct)
                : await guard.HostProblemAsync(new Uri(value, UriKind.Absolute).IdnHost, ct);
            if (refused is not null)
            {
                return ($"secrets.{field.Name}", refused);
            }
        }

        return null;
    }

    private static Dictionary<string, string>? ValidSecrets(FieldErrors errors, string provider, IReadOnlyDictionary<string, string?> given)
    {
        if (ProviderFields.OAuthOnly(provider))
        {
            errors.Add("provider", $"`{provider}` connects through OAuth: POST /api/credentials/oauth/start");
            return null;
        }

        var spec = ProviderFields.ByProvider[provider];
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in spec.Required.Concat(spec.Optional))
        {
            if (errors.Text($"secrets.{field}", given.GetValueOrDefault(field), required: spec.Required.Contains(field), maxLength: 4096) is { } value)
            {
                secrets[field] = value;
            }
        }

        foreach (var unknown in given.Keys.Where(k => !spec.Required.Contains(k) && !spec.Optional.Contains(k) && !errors.Has($"secrets.{k}")))
        {
            errors.Add($"secrets.{unknown}", $"is not a field of a {provider} credential");
        }

        CheckShapes(errors, provider, secrets);
        return secrets;
    }

    private static void CheckShapes(FieldErrors errors, string provider, Dictionary<string, string> secrets)
    {
        foreach (var field in ConnectorCatalog.Find(provider)!.CredentialFields.Where(f => f.Url))
        {
            if (secrets.TryGetValue(field.Name, out var url) && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                errors.Add($"secrets.{field.Name}", "must be an absolute http or https URL");
            }
        }

        // Each provider's own shape rules (a Stripe key starts with sk_ or rk_, …): a typo is caught now, not at the first action.
        foreach (var field in ConnectorCatalog.Find(provider)!.CredentialFields.Where(f => f.Check is not null))
        {
            if (secrets.TryGetValue(field.Name, out var value) && field.Check!(value) is { } problem)
            {
                errors.Add($"secrets.{field.Name}", problem);
            }
        }
    }
}
