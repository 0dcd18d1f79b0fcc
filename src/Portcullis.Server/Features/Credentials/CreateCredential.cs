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
        var provider = CredentialDraft.Provider(errors, command.Provider);
        var name = errors.Text("name", command.Name, required: true, maxLength: 100);
        var secrets = CredentialDraft.Secrets(errors, provider, command.Secrets);
        if (errors.Any)
        {
            return new CreateCredentialResult.Invalid(errors);
        }

        if (await CredentialDraft.UrlProblemAsync(guard, provider!, secrets!, ct) is { } refused)
        {
            return new CreateCredentialResult.UrlNotAllowed(refused.Field, refused.Reason);
        }

        var row = await store.CreateAsync(command.Actor.WorkspaceId, Actor.User(command.Actor.UserId), provider!, name!, "api_key", secrets!, ct);
        return new CreateCredentialResult.Created(row.ToDto([]));
    }
}
