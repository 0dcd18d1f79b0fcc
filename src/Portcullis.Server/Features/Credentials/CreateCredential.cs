using Portcullis.Connectors;
using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// Connect a credential by API key. <see cref="Secrets"/> holds each field as given; a null value is a field
/// named but left empty (or one the transport could not read).
/// </summary>
public sealed record CreateCredentialCommand(Member Actor, string? Provider, string? Name, IReadOnlyDictionary<string, string?>? Secrets);

public abstract record CreateCredentialResult
{
    private CreateCredentialResult()
    {
    }

    /// <summary>The credential as listed: a masked hint, never a secret.</summary>
    public sealed record Created(CredentialDto Credential) : CreateCredentialResult;

    public sealed record Invalid(FieldErrors Errors) : CreateCredentialResult;

    /// <summary>A URL field the outbound guard refuses (internal address, plain http, user info, query…); nothing was saved.</summary>
    public sealed record UrlNotAllowed(string Field, string Reason) : CreateCredentialResult;
}

/// <summary>Connecting a credential: the one use case behind <c>POST /api/credentials</c> and the dashboard's Connect forms. Secrets go in once and never come out.</summary>
public sealed class CreateCredential(CredentialStore store, OutboundGuard guard)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<CreateCredentialResult> ExecuteAsync(CreateCredentialCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var provider = errors.OneOf("provider", command.Provider, ProviderFields.ByProvider.Keys.ToArray(), required: true);
        var name = errors.Text("name", command.Name, required: true, maxLength: 100);
        if (command.Secrets is null && !errors.Has("secrets"))
        {
            errors.Add("secrets", "is required");
        }

        var secrets = provider is null || command.Secrets is null ? null : ValidSecrets(errors, provider, command.Secrets);
        if (errors.Any)
        {
            return new CreateCredentialResult.Invalid(errors);
        }

        // SECURITY: a URL field is where the connector will send the credential; checked here, again at every connection.
        foreach (var field in ConnectorCatalog.Find(provider!)!.CredentialFields.Where(f => (f.Url || f.GuardedHost) && secrets!.ContainsKey(f.Name)))
        {
            var value = secrets![field.Name];
            var refused = field.Url
                ? await guard.ProblemAsync(value, OutboundUrlRules.BaseUrl, ct)
                : await guard.HostProblemAsync(new Uri(value, UriKind.Absolute).IdnHost, ct);
            if (refused is not null)
            {
                return new CreateCredentialResult.UrlNotAllowed($"secrets.{field.Name}", refused);
            }
        }

        var row = await store.CreateAsync(command.Actor.WorkspaceId, Actor.User(command.Actor.UserId), provider!, name!, "api_key", secrets!, ct);
        return new CreateCredentialResult.Created(row.ToDto([]));
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

        return secrets;
    }
}
