using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Connectors;
using Portcullis.Server.Features.Audit;
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

    public sealed record VerifyResponse(bool Ok, string Message, int? ProviderStatus, string VerifiedAt);

    public static RouteGroupBuilder MapCredentials(this RouteGroupBuilder group)
    {
        group.MapPost("/credentials", Create).RequireAuthorization(RolePolicies.Admin).Accepts<CreateRequest>("application/json");
        group.MapGet("/credentials", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/credentials/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
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

    public static async Task<Ok<IReadOnlyList<CredentialDto>>> List(HttpContext http, Database database, CredentialStore store)
    {
        var member = http.User.GetMember();
        var rows = await store.ListAsync(member.WorkspaceId, http.RequestAborted);
        await using var c = await database.OpenAsync(http.RequestAborted);
        var links = await CredentialStore.LinksAsync(c, member.WorkspaceId);
        return TypedResults.Ok<IReadOnlyList<CredentialDto>>(rows.Select(r => r.ToDto(links[r.Id].ToList())).ToList());
    }

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

    public static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(
        HttpContext http, Database database, CredentialStore store, ConnectorRunner runner, AuditTrail audit, TimeProvider time, string id)
    {
        var member = http.User.GetMember();
        CredentialRow? row;
        await using (var c = await database.OpenAsync(http.RequestAborted))
        {
            row = await CredentialStore.FindAsync(c, member.WorkspaceId, id);
        }

        if (row is null)
        {
            return Problems.NotFound($"credential `{id}`");
        }

        var result = await runner.VerifyAsync(store.Open(row), http.RequestAborted);
        var now = time.Now();
        await database.WriteAsync(async (c, t) =>
        {
            await CredentialStore.RecordVerificationAsync(c, t, id, now, result.Ok, result.Message);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "credential.verified", "credential", id,
                new { result.Ok, result.ProviderStatus });
        }, http.RequestAborted);
        return TypedResults.Ok(new VerifyResponse(result.Ok, result.Message, result.ProviderStatus, Times.ToIso(now)));
    }

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

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(HttpContext http, Database database, AuditTrail audit, string id, string agentId)
    {
        var member = http.User.GetMember();
        var removed = await database.WriteAsync(async (c, t) =>
        {
            var unlinked = await CredentialStore.UnlinkAsync(c, t, member.WorkspaceId, id, agentId);
            if (unlinked)
            {
                await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "credential.unlinked", "credential", id, new { agentId });
            }

            return unlinked;
        }, http.RequestAborted);
        return removed ? TypedResults.NoContent() : Problems.NotFound($"link of credential `{id}` to agent `{agentId}`");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, Database database, AuditTrail audit, TimeProvider time, string id)
    {
        var member = http.User.GetMember();
        return await database.WriteAsync<Results<NoContent, ProblemHttpResult>>(async (c, t) =>
        {
            if (await CredentialStore.FindAsync(c, member.WorkspaceId, id, t) is null)
            {
                return Problems.NotFound($"credential `{id}`");
            }

            var links = await CredentialStore.LinkCountAsync(c, t, id);
            if (links > 0)
            {
                return Problems.Conflict($"credential `{id}` is linked to {links} agent(s); disconnect it from them first", "credential_linked");
            }

            await CredentialStore.DestroyAsync(c, t, id, time.Now());
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "credential.deleted", "credential", id);
            return TypedResults.NoContent();
        }, http.RequestAborted);
    }
}
