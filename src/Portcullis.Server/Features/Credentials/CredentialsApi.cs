using System.Text.Json;
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
        HttpContext http, CredentialStore store, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => CreateAsync(http.User.GetMember(), body, store, http.RequestAborted));
    }

    /// <summary>Connecting a credential by API key from a parsed body: the one path behind the API and the dashboard.</summary>
    public static async Task<Results<Created<CredentialDto>, ProblemHttpResult>> CreateAsync(
        Member member, JsonElement body, CredentialStore store, CancellationToken ct)
    {
        var f = new JsonFields(body, new FieldErrors());
        var provider = f.OneOf("provider", ProviderFields.ByProvider.Keys.ToArray(), required: true);
        var name = f.String("name", required: true, maxLength: 100);
        var secrets = ReadSecrets(f, provider);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        var row = await store.CreateAsync(member.WorkspaceId, Actor.User(member.UserId), provider!, name!, "api_key", secrets!, ct);
        return TypedResults.Created($"/api/credentials/{row.Id}", row.ToDto([]));
    }

    private static Dictionary<string, string>? ReadSecrets(JsonFields f, string? provider)
    {
        var secretsElement = f.Object("secrets", required: true, maxBytes: 16 * 1024);
        if (provider is null || secretsElement is not { } element)
        {
            return null;
        }

        if (ProviderFields.OAuthOnly(provider))
        {
            f.Errors.Add("provider", $"`{provider}` connects through OAuth: POST /api/credentials/oauth/start");
            return null;
        }

        var spec = ProviderFields.ByProvider[provider];
        var s = new JsonFields(element, f.Errors, "secrets");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in spec.Required.Concat(spec.Optional))
        {
            if (s.String(field, required: spec.Required.Contains(field), maxLength: 4096) is { } value)
            {
                secrets[field] = value;
            }
        }

        foreach (var unknown in element.EnumerateObject().Where(p => !secrets.ContainsKey(p.Name) && !spec.Required.Contains(p.Name) && !spec.Optional.Contains(p.Name)))
        {
            f.Errors.Add($"secrets.{unknown.Name}", $"is not a field of a {provider} credential");
        }

        if (provider == "webhook" && secrets.TryGetValue("baseUrl", out var baseUrl)
            && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            f.Errors.Add("secrets.baseUrl", "must be an absolute http or https URL");
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
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time, string id)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => LinkAsync(http.User.GetMember(), id, body, database, audit, time, http.RequestAborted));
    }

    /// <summary>Linking a credential to an agent from a parsed body (<c>agentId</c>).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> LinkAsync(
        Member member, string id, JsonElement body, Database database, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var f = new JsonFields(body, new FieldErrors());
        var agentId = f.String("agentId", required: true, maxLength: 64);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        return await database.WriteAsync<Results<NoContent, ProblemHttpResult>>(async (c, t) =>
        {
            if (await CredentialStore.FindAsync(c, member.WorkspaceId, id, t) is null)
            {
                return Problems.NotFound($"credential `{id}`");
            }

            if (!await CredentialStore.AgentExistsAsync(c, t, member.WorkspaceId, agentId!))
            {
                return Problems.NotFound($"agent `{agentId}`");
            }

            if (await CredentialStore.LinkAsync(c, t, member.WorkspaceId, id, agentId!, time.Now()))
            {
                await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "credential.linked", "credential", id, new { agentId });
            }

            return TypedResults.NoContent();
        }, ct);
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
