namespace Portcullis.Connectors;

/// <summary>One field of a provider's credential.</summary>
/// <param name="Name">Key in the credential's secrets, e.g. <c>apiKey</c>.</param>
/// <param name="Label">Form label, e.g. <c>Secret API key</c>.</param>
/// <param name="Secret">A password input, never echoed, redacted wherever a provider repeats it.</param>
/// <param name="Required">Must be given when connecting.</param>
/// <param name="Hint">The masked hint shown for the credential is taken from this field (one per provider).</param>
/// <param name="Url">An absolute http(s) URL, checked when connecting; its hint is the host.</param>
public sealed record CredentialField(string Name, string Label, bool Secret, bool Required, bool Hint = false, bool Url = false)
{
    /// <summary>The shape the value must have (null when fine, else a lowercase problem), checked when connecting.</summary>
    public Func<string, string?>? Check { get; init; }

    /// <summary>
    /// A URL of another scheme than http(s) (an MQTT broker) whose host the outbound guard checks when connecting the
    /// credential and at every connection; its shape is <see cref="Check"/>'s business.
    /// </summary>
    public bool GuardedHost { get; init; }

    /// <summary>The value spans lines (a PEM certificate): forms offer a text area, whose line breaks survive.</summary>
    public bool Multiline { get; init; }
}

/// <summary>The provider's OAuth 2.0 app endpoints and the scopes Portcullis asks for (defaults; configuration may override).</summary>
/// <param name="AuthorizationEndpoint">Where the user's browser is sent to consent.</param>
/// <param name="TokenEndpoint">Where codes and refresh tokens are exchanged.</param>
/// <param name="Scopes">Scopes requested: only what the actions need.</param>
public sealed record OAuthSettings(Uri AuthorizationEndpoint, Uri TokenEndpoint, IReadOnlyList<string> Scopes)
{
    /// <summary>The sub-section of <c>Portcullis:OAuth</c> holding the app's client id and secret (<c>Google</c>).</summary>
    public required string AppSection { get; init; }

    /// <summary>Further query parameters of the authorization URL the provider needs (Google: offline access).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AuthorizationParameters { get; init; } = [];
}

/// <summary>
/// Everything Portcullis knows about one provider, declared once in the provider's folder
/// (<c>Stripe/StripeDescriptor.cs</c>, …) and registered in <see cref="ConnectorCatalog.All"/>.
/// The API catalog, credential forms, validation and dispatch all read it.
/// </summary>
public sealed class ConnectorDescriptor
{
    /// <summary>Provider name, lowercase, e.g. <c>stripe</c>; also the configuration section under <c>Portcullis:Connectors</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Name shown to people, e.g. <c>HubSpot</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>A few sentences a user follows to obtain the credential (one paragraph: source line breaks become spaces).</summary>
    public required string SetupGuide { get; init => field = string.Join(' ', value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)); }

    /// <summary>Fields typed in when connecting by key; for OAuth-only providers, the fields the OAuth flow stores.</summary>
    public required IReadOnlyList<CredentialField> CredentialFields { get; init; }

    /// <summary>The OAuth app settings, for providers that can connect through OAuth.</summary>
    public OAuthSettings? OAuth { get; init; }

    /// <summary>True when OAuth is the only way to connect (no key form).</summary>
    public bool OAuthOnly { get; init; }

    /// <summary>
    /// The API root, overridable with <c>Portcullis:Connectors:{Provider}:BaseUrl</c>; null when the credential
    /// carries it (webhook). May hold placeholders filled from the credential (Zendesk's <c>{subdomain}</c>).
    /// </summary>
    public string? BaseUrl { get; init; }

    /// <summary>The provider's actions, in display order.</summary>
    public required IReadOnlyList<ActionDescriptor> Actions { get; init; }

    /// <summary>The live and demo implementation.</summary>
    internal Connector Connector { get; init; } = null!;

    /// <summary>The field the masked hint comes from.</summary>
    public string HintField => CredentialFields.First(f => f.Hint).Name;
}
