using System.Diagnostics;
using Portcullis.Connectors;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard.Connect;

/// <summary>
/// The Connect, Verify and Link forms shared by the Connectors page and an agent's Integrations tab.
/// Each form runs its use case (<see cref="CreateCredential"/>, <see cref="LinkCredential"/>, <see cref="VerifyCredential"/>, <see cref="UnlinkCredential"/>, <see cref="DeleteCredential"/>); secrets go in once and only masked hints come back.
/// </summary>
public sealed class CredentialForms(CreateCredential createCredential, LinkCredential linkCredential, VerifyCredential verifyCredential,
    UnlinkCredential unlinkCredential, DeleteCredential deleteCredential)
{
    /// <param name="Failed">The form was handled, but what it checked failed (a verification): shown in the error style.</param>
    public sealed record Done(string Message, bool Failed = false);

    private static CredentialField? Field(string provider, string field) =>
        ConnectorCatalog.Find(provider)?.CredentialFields.FirstOrDefault(f => f.Name == field);

    public static string Label(string provider, string field) => Field(provider, field)?.Label ?? field;

    /// <summary>Secret fields are password inputs, never pre-filled and never echoed back after a failed attempt.</summary>
    public static bool IsSecret(string provider, string field) => Field(provider, field)?.Secret ?? true;

    public static IEnumerable<string> FieldsOf(string provider) =>
        ProviderFields.ByProvider.TryGetValue(provider, out var spec) ? spec.Required.Concat(spec.Optional) : [];

    public static string Title(string provider) => ConnectorCatalog.Find(provider)?.DisplayName ?? provider;

    /// <summary>The descriptor's few lines on where to get the credential.</summary>
    public static string SetupGuide(string provider) => ConnectorCatalog.Find(provider)?.SetupGuide ?? "";

    /// <summary>Connects a credential from the posted form and, when <c>agentId</c> is posted, links it to that agent.</summary>
    public async Task<(Done? Done, FormProblem? Problem)> ConnectAsync(Member member, IFormCollection form, CancellationToken ct)
    {
        var provider = form["provider"].ToString();
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in FieldsOf(provider))
        {
            if ((IsSecret(provider, field) ? FormFields.Secret(form[field]) : FormFields.Text(form[field])) is { } value)
            {
                secrets[field] = value;
            }
        }

        var command = new CreateCredentialCommand(member, FormFields.Text(provider, required: true), FormFields.Text(form["name"], required: true), secrets);
        var result = await createCredential.ExecuteAsync(command, null, ct);
        if (result is CreateCredentialResult.Invalid invalid)
        {
            return (null, FormProblem.Invalid(invalid.Errors));
        }

        var created = ((CreateCredentialResult.Created)result).Credential;
        var message = $"Connected {created.Name} ({Title(created.Provider)}, {created.Hint}).";
        var agentId = form["agentId"].ToString();
        if (agentId.Length > 0 && await LinkAsync(member, created.Id, agentId, ct) is { } notLinked)
        {
            return (null, notLinked with { Message = $"{message} It could not be linked: {notLinked.Message}" });
        }

        return (new Done(message), null);
    }

    public async Task<FormProblem?> LinkAsync(Member member, string credentialId, string agentId, CancellationToken ct) =>
        await linkCredential.ExecuteAsync(new LinkCredentialCommand(member, credentialId, FormFields.Text(agentId, required: true)), null, ct) switch
        {
            LinkCredentialResult.Linked => null,
            LinkCredentialResult.Invalid invalid => FormProblem.Invalid(invalid.Errors),
            LinkCredentialResult.CredentialNotFound missing => FormProblem.NotFound($"credential `{missing.CredentialId}`"),
            LinkCredentialResult.AgentNotFound missing => FormProblem.NotFound($"agent `{missing.AgentId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public async Task<(Done? Done, FormProblem? Problem)> VerifyAsync(Member member, string credentialId, CancellationToken ct) =>
        await verifyCredential.ExecuteAsync(new VerifyCredentialCommand(member, credentialId), ct) switch
        {
            VerifyCredentialResult.Verified v => (new Done(v.Ok ? $"Connection verified: {v.Message}" : $"Verification failed: {v.Message}", !v.Ok), null),
            VerifyCredentialResult.CredentialNotFound missing => (null, FormProblem.NotFound($"credential `{missing.CredentialId}`")),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public async Task<FormProblem?> DisconnectAsync(Member member, string credentialId, string agentId, CancellationToken ct) =>
        await unlinkCredential.ExecuteAsync(new UnlinkCredentialCommand(member, credentialId, agentId), ct) switch
        {
            UnlinkCredentialResult.Unlinked => null,
            UnlinkCredentialResult.LinkNotFound missing => FormProblem.NotFound($"link of credential `{missing.CredentialId}` to agent `{missing.AgentId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public async Task<FormProblem?> DeleteAsync(Member member, string credentialId, CancellationToken ct) =>
        await deleteCredential.ExecuteAsync(new DeleteCredentialCommand(member, credentialId), ct) switch
        {
            DeleteCredentialResult.Deleted => null,
            DeleteCredentialResult.CredentialNotFound missing => FormProblem.NotFound($"credential `{missing.CredentialId}`"),
            DeleteCredentialResult.StillLinked linked => FormProblem.Refused(409, DeleteCredential.StillLinkedDetail(linked)),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
}
