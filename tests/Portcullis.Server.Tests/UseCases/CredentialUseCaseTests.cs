using System.Net;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>CreateCredential and LinkCredential: the refusals the API and the dashboard's Connect and Link forms both show.</summary>
public abstract class CredentialUseCaseTests(ServerFixture server)
{
    [Fact]
    public async Task A_missing_secret_and_an_unknown_field_are_named_under_secrets_by_the_service_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();
        var secrets = new Dictionary<string, string?> { ["subdomain"] = "acme", ["pin"] = "1234" };

        var result = await server.Service<CreateCredential>().ExecuteAsync(
            new CreateCredentialCommand(await ws.OwnerAsync(), "zendesk", "support", secrets), null, default);

        var errors = Assert.IsType<CreateCredentialResult.Invalid>(result).Errors.ToDictionary();
        Assert.Equal(["is required"], errors["secrets.apiToken"]);
        Assert.Equal(["is not a field of a zendesk credential"], errors["secrets.pin"]);
        var api = await ws.Owner().PostJson("/api/credentials", new { provider = "zendesk", name = "support", secrets = new { subdomain = "acme", pin = "1234" } });
        var wire = (await api.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(errors.Keys.Order(), wire.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_secret_that_is_not_a_string_is_named_once()
    {
        var ws = await server.NewWorkspaceAsync();
        var api = await ws.Owner().PostJson("/api/credentials", new { provider = "stripe", name = "billing", secrets = new { apiKey = 42 } });

        var errors = (await api.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["must be a string"], errors.GetProperty("secrets.apiKey").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_credential_links_to_an_agent_of_the_workspace_and_an_unknown_agent_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var created = Assert.IsType<CreateCredentialResult.Created>(await server.Service<CreateCredential>().ExecuteAsync(
            new CreateCredentialCommand(owner, "stripe", "billing", new Dictionary<string, string?> { ["apiKey"] = "sk_test_0123456789abcdef" }), null, default));
        var link = server.Service<LinkCredential>();

        var unknown = await link.ExecuteAsync(new LinkCredentialCommand(owner, created.Credential.Id, "agt_nope"), null, default);
        var linked = await link.ExecuteAsync(new LinkCredentialCommand(owner, created.Credential.Id, ws.AgentId), null, default);

        Assert.Equal("agt_nope", Assert.IsType<LinkCredentialResult.AgentNotFound>(unknown).AgentId);
        Assert.IsType<LinkCredentialResult.Linked>(linked);
        var listed = await (await ws.Owner().GetAsync($"/api/credentials/{created.Credential.Id}")).Json();
        Assert.DoesNotContain("sk_test_0123456789abcdef", listed.GetRawText());
        Assert.IsType<LinkCredentialResult.CredentialNotFound>(await link.ExecuteAsync(new LinkCredentialCommand(owner, "cred_nope", ws.AgentId), null, default));
    }
}

public sealed class CredentialUseCaseSqliteTests(SqliteServer s) : CredentialUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class CredentialUseCasePostgresTests(PostgresServer s) : CredentialUseCaseTests(s), IClassFixture<PostgresServer>;
