using Portcullis.Connectors;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// What each provider's credential holds, and which field the masked hint is taken from, as declared by the
/// provider's descriptor (<see cref="ConnectorCatalog.All"/>).
/// </summary>
public static class ProviderFields
{
    public sealed record Spec(string[] Required, string[] Optional, string HintField, bool OAuth);

    public static readonly IReadOnlyDictionary<string, Spec> ByProvider = ConnectorCatalog.All.ToDictionary(
        d => d.Provider, ToSpec, StringComparer.Ordinal);

    /// <summary>Providers connected only through OAuth (no secret form).</summary>
    public static bool OAuthOnly(string provider) => ConnectorCatalog.Find(provider)?.OAuthOnly == true;

    // The fields of an OAuth-only provider are written by the OAuth flow, never typed in.
    private static Spec ToSpec(ConnectorDescriptor d) => new(
        d.OAuthOnly ? [] : d.CredentialFields.Where(f => f.Required).Select(f => f.Name).ToArray(),
        d.OAuthOnly ? [] : d.CredentialFields.Where(f => !f.Required).Select(f => f.Name).ToArray(),
        d.HintField,
        d.OAuth is not null);
}
