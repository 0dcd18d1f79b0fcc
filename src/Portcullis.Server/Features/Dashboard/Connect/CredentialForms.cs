using System.Diagnostics;
using Portcullis.Connectors;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Connect;

/// <summary>
/// The Connect, Verify and Link forms shared by the Connectors page and an agent's Integrations tab.
/// Connect and Link run the <see cref="CreateCredential"/> and <see cref="LinkCredential"/> use cases; secrets go in once and only masked hints come back.
/// </summary>
public sealed class CredentialForms(Database database, CredentialStore store, ConnectorRunner runner, AuditTrail audit, TimeProvider time,
    CreateCredential createCredential, LinkCredential linkCredential)
{
    public sealed record Done(string Message);

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

    public async Task<(Done? Done, FormProblem? Problem)> VerifyAsync(HttpContext http, string credentialId)
    {
        var result = (await CredentialsApi.Verify(http, database, store, runner, audit, time, credentialId)).Result;
        return ApiResults.Value<CredentialsApi.VerifyResponse>(result) is { } verified
            ? (new Done(verified.Ok ? $"Connection verified: {verified.Message}" : $"Verification failed: {verified.Message}"), null)
            : (null, ApiResults.Problem(result));
    }

    public async Task<FormProblem?> DisconnectAsync(HttpContext http, string credentialId, string agentId) =>
        ApiResults.Problem((await CredentialsApi.Unlink(http, database, audit, credentialId, agentId)).Result);

    public async Task<FormProblem?> DeleteAsync(HttpContext http, string credentialId) =>
        ApiResults.Problem((await CredentialsApi.Delete(http, database, audit, time, credentialId)).Result);
}
