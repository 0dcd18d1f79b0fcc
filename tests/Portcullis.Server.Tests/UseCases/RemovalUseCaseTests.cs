using System.Net;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>
/// RevokeAgentKey, UnlinkCredential, DeleteCredential, VerifyCredential and DeletePolicy: what the dashboard's buttons
/// (calling the services) and the API's DELETE/POST endpoints both rely on.
/// </summary>
public abstract class RemovalUseCaseTests(ServerFixture server)
{
    [Fact]
    public async Task A_revoked_key_is_refused_revoking_again_is_harmless_and_an_unknown_key_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var key = Assert.IsType<CreateAgentKeyResult.Created>(
            await server.Service<CreateAgentKey>().ExecuteAsync(new CreateAgentKeyCommand(owner, ws.AgentId!, "ci"), null, default)).Key;
        var revoke = server.Service<RevokeAgentKey>();

        Assert.IsType<RevokeAgentKeyResult.Revoked>(await revoke.ExecuteAsync(new RevokeAgentKeyCommand(owner, ws.AgentId!, key.Id), default));
        Assert.IsType<RevokeAgentKeyResult.Revoked>(await revoke.ExecuteAsync(new RevokeAgentKeyCommand(owner, ws.AgentId!, key.Id), default));
        var missing = await revoke.ExecuteAsync(new RevokeAgentKeyCommand(owner, ws.AgentId!, "key_nope"), default);

        Assert.Equal(("key_nope", ws.AgentId), (Assert.IsType<RevokeAgentKeyResult.KeyNotFound>(missing).KeyId, ((RevokeAgentKeyResult.KeyNotFound)missing).AgentId));
        await (await server.WithBearer(key.Key).GetAsync("/api/connectors")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var keys = await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/keys")).Json();
        Assert.True(keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == key.Id).GetProperty("revoked").GetBoolean());
        await (await ws.Owner().DeleteAsync($"/api/agents/{ws.AgentId}/keys/key_nope")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_linked_credential_is_not_deleted_until_it_is_unlinked_and_unlinking_twice_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var id = Assert.IsType<CreateCredentialResult.Created>(await server.Service<CreateCredential>().ExecuteAsync(
            new CreateCredentialCommand(owner, "stripe", "billing", new Dictionary<string, string?> { ["apiKey"] = "sk_test_0123456789abcdef" }), null, default)).Credential.Id;
        Assert.IsType<LinkCredentialResult.Linked>(await server.Service<LinkCredential>().ExecuteAsync(new LinkCredentialCommand(owner, id, ws.AgentId), null, default));
        var delete = server.Service<DeleteCredential>();
        var unlink = server.Service<UnlinkCredential>();

        var linked = Assert.IsType<DeleteCredentialResult.StillLinked>(await delete.ExecuteAsync(new DeleteCredentialCommand(owner, id), default));
        var wire = await (await ws.Owner().DeleteAsync($"/api/credentials/{id}")).AssertProblem(HttpStatusCode.Conflict, "credential_linked");
        Assert.Equal(DeleteCredential.StillLinkedDetail(linked), wire.GetProperty("detail").GetString());
        Assert.Equal(1, linked.Links);

        Assert.IsType<UnlinkCredentialResult.Unlinked>(await unlink.ExecuteAsync(new UnlinkCredentialCommand(owner, id, ws.AgentId!), default));
        Assert.IsType<UnlinkCredentialResult.LinkNotFound>(await unlink.ExecuteAsync(new UnlinkCredentialCommand(owner, id, ws.AgentId!), default));
        await (await ws.Owner().DeleteAsync($"/api/credentials/{id}/links/{ws.AgentId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.IsType<DeleteCredentialResult.Deleted>(await delete.ExecuteAsync(new DeleteCredentialCommand(owner, id), default));
        Assert.IsType<DeleteCredentialResult.CredentialNotFound>(await delete.ExecuteAsync(new DeleteCredentialCommand(owner, id), default));
        await (await ws.Owner().GetAsync($"/api/credentials/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Verifying_an_unknown_or_deleted_credential_is_not_found_by_the_service_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var id = Assert.IsType<CreateCredentialResult.Created>(await server.Service<CreateCredential>().ExecuteAsync(
            new CreateCredentialCommand(await other.OwnerAsync(), "stripe", "billing", new Dictionary<string, string?> { ["apiKey"] = "sk_test_0123456789abcdef" }), null, default)).Credential.Id;

        // Another workspace's credential is indistinguishable from an unknown one.
        var missing = await server.Service<VerifyCredential>().ExecuteAsync(new VerifyCredentialCommand(await ws.OwnerAsync(), id), default);

        Assert.Equal(id, Assert.IsType<VerifyCredentialResult.CredentialNotFound>(missing).CredentialId);
        await (await ws.Owner().PostJson($"/api/credentials/{id}/verify", new { })).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_deleted_policy_is_gone_and_deleting_it_again_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var input = new PolicyInput("p", null, "action_type = refund.create", "block", null, null, null, null, null);
        var id = Assert.IsType<SavePolicyResult.Saved>(await server.Service<CreatePolicy>().ExecuteAsync(new CreatePolicyCommand(owner, input), null, default)).Policy.Id;
        var delete = server.Service<DeletePolicy>();

        Assert.IsType<DeletePolicyResult.Deleted>(await delete.ExecuteAsync(new DeletePolicyCommand(owner, id), default));
        var again = await delete.ExecuteAsync(new DeletePolicyCommand(owner, id), default);

        Assert.Equal(id, Assert.IsType<DeletePolicyResult.NotFound>(again).PolicyId);
        await (await ws.Owner().GetAsync($"/api/policies/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Owner().DeleteAsync($"/api/policies/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class RemovalUseCaseSqliteTests(SqliteServer s) : RemovalUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class RemovalUseCasePostgresTests(PostgresServer s) : RemovalUseCaseTests(s), IClassFixture<PostgresServer>;
