using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Workspace credentials: <c>/api/credentials…</c>. Secrets go in once and never come out.</summary>
public static class CredentialsApi
{
    public sealed record CreateRequest(string Provider, string Name, Dictionary<string, string> Secrets);

    public sealed record LinkRequest(string AgentId);

    /// <summary>A credential not yet saved: the provider and its fields, as for <see cref="CreateRequest"/> without a name.</summary>
    public sealed record VerifyDraftRequest(string Provider, Dictionary<string, string> Secrets);

    public sealed record VerifyResponse(bool Ok, string Message, int? ProviderStatus, string VerifiedAt, bool Simulated);

    public static RouteGroupBuilder MapCredentials(this RouteGroupBuilder group)
    {
        group.MapPost("/credentials", Create).RequireAuthorization(RolePolicies.Admin).Accepts<CreateRequest>("application/json");
        group.MapGet("/credentials", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/credentials/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/credentials/verify", VerifyDraft).RequireAuthorization(RolePolicies.Admin).Accepts<VerifyDraftRequest>("application/json");
        group.MapPost("/credentials/{id}/verify", Verify).RequireAuthorization(RolePolicies.Admin);
        group.MapPost("/credentials/{id}/links", Link).RequireAuthorization(RolePolicies.Admin).Accepts<LinkRequest>("application/json");
        group.MapDelete("/credentials/{id}/links/{agentId}", Unlink).RequireAuthorization(RolePolicies.Admin);
        group.MapDelete("/credentials/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Results<Created<CredentialDto>, ProblemHttpResult>> Create(
        HttpContext http, CreateCredential createCredential, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Created<CredentialDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new CreateCredentialCommand(http.User.GetMember(), f.Text("provider"), f.Text("name"), ReadSecrets(f));
            return await createCredential.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                CreateCredentialResult.Created created => TypedResults.Created($"/api/credentials/{created.Credential.Id}", created.Credential),
                CreateCredentialResult.Invalid invalid => Problems.Validation(invalid.Errors),
                CreateCredentialResult.UrlNotAllowed refused => Problems.UrlNotAllowed(refused.Field, refused.Reason),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    /// <summary><c>POST /api/credentials/verify</c>: Verify Connection before saving; nothing is stored and no secret comes back.</summary>
    public static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> VerifyDraft(
        HttpContext http, VerifyDraftCredential verifyDraft, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Ok<VerifyResponse>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            var command = new VerifyDraftCommand(http.User.GetMember(), f.Text("provider"), ReadSecrets(f));
            return await verifyDraft.ExecuteAsync(command, f.Errors, http.RequestAborted) switch
            {
                VerifyDraftResult.Checked v => TypedResults.Ok(new VerifyResponse(v.Ok, v.Message, v.ProviderStatus, Times.ToIso(v.VerifiedAt), v.Simulated)),
                VerifyDraftResult.Invalid invalid => Problems.Validation(invalid.Errors),
                VerifyDraftResult.UrlNotAllowed refused => Problems.UrlNotAllowed(refused.Field, refused.Reason),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    // Each member of `secrets` as given: a value that is not a string is named here and kept as null,
    // so the use case neither asks for it again nor takes it for an unknown field.
    private static Dictionary<string, string?>? ReadSecrets(JsonFields f)
    {
        if (f.Object("secrets", maxBytes: 16 * 1024) is not { } element)
        {
            return null;
        }

        var s = new JsonFields(element, f.Errors, "secrets");
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            secrets[member.Name] = s.Text(member.Name);
        }

        return secrets;
    }

    public static async Task<Ok<IReadOnlyList<CredentialDto>>> List(HttpContext http, IntegrationQueries credentials) =>
        TypedResults.Ok(await credentials.ListCredentialsAsync(http.User.GetMember().WorkspaceId, http.RequestAborted));

    public static async Task<Results<Ok<CredentialDto>, ProblemHttpResult>> Get(HttpContext http, Database database, string id)
    {
        var member = http.User.GetMember();
        await using var c = await database.OpenAsync(http.RequestAborted);
        var row = await CredentialStore.FindAsync(c, member.WorkspaceId, id);
        if (row is null)
        {
            return Problems.NotFound($"credential `{id}`");
        }

        return TypedResults.Ok(row.ToDto((await CredentialStore.LinksAsync(c, member.WorkspaceId))[id].ToList()));
    }

    public static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(HttpContext http, VerifyCredential verify, string id) =>
        await verify.ExecuteAsync(new VerifyCredentialCommand(http.User.GetMember(), id), http.RequestAborted) switch
        {
            VerifyCredentialResult.Verified v => TypedResults.Ok(new VerifyResponse(v.Ok, v.Message, v.ProviderStatus, Times.ToIso(v.VerifiedAt), v.Simulated)),
            VerifyCredentialResult.CredentialNotFound missing => Problems.NotFound($"credential `{missing.CredentialId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public static async Task<Results<NoContent, ProblemHttpResult>> Link(
        HttpContext http, LinkCredential linkCredential, IOptions<LimitsOptions> limits, string id)
    {
        return await JsonBody.ThenAsync<NoContent>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            return await linkCredential.ExecuteAsync(new LinkCredentialCommand(http.User.GetMember(), id, f.Text("agentId")), f.Errors, http.RequestAborted) switch
            {
                LinkCredentialResult.Linked => TypedResults.NoContent(),
                LinkCredentialResult.Invalid invalid => Problems.Validation(invalid.Errors),
                LinkCredentialResult.CredentialNotFound missing => Problems.NotFound($"credential `{missing.CredentialId}`"),
                LinkCredentialResult.AgentNotFound missing => Problems.NotFound($"agent `{missing.AgentId}`"),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(HttpContext http, UnlinkCredential unlink, string id, string agentId) =>
        await unlink.ExecuteAsync(new UnlinkCredentialCommand(http.User.GetMember(), id, agentId), http.RequestAborted) switch
        {
            UnlinkCredentialResult.Unlinked => TypedResults.NoContent(),
            UnlinkCredentialResult.LinkNotFound missing => Problems.NotFound($"link of credential `{missing.CredentialId}` to agent `{missing.AgentId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, DeleteCredential delete, string id) =>
        await delete.ExecuteAsync(new DeleteCredentialCommand(http.User.GetMember(), id), http.RequestAborted) switch
        {
            DeleteCredentialResult.Deleted => TypedResults.NoContent(),
            DeleteCredentialResult.CredentialNotFound missing => Problems.NotFound($"credential `{missing.CredentialId}`"),
            DeleteCredentialResult.StillLinked linked => Problems.Conflict(DeleteCredential.StillLinkedDetail(linked), "credential_linked"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
}
