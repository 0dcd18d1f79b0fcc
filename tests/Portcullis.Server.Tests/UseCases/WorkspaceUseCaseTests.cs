using System.Net;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>UpdateSettings, AddMember and ChangeMemberRole: the refusals the API and the dashboard's Settings page both show.</summary>
public abstract class WorkspaceUseCaseTests(ServerFixture server)
{
    [Fact]
    public async Task A_too_short_approval_expiry_and_an_unknown_billing_state_are_named_with_their_paths()
    {
        var ws = await server.NewWorkspaceAsync();
        var patch = new SettingsPatch { ApprovalExpirySeconds = 10, BillingState = "" };

        var result = await server.Service<UpdateSettings>().ExecuteAsync(new UpdateSettingsCommand(await ws.OwnerAsync(), patch), null, default);

        var errors = Assert.IsType<UpdateSettingsResult.Invalid>(result).Errors.ToDictionary();
        Assert.Equal(["must be between 60 and 2592000"], errors["approvalExpirySeconds"]);
        Assert.StartsWith("must be one of `active`", errors["billing.state"][0]);
        var api = await ws.Owner().PatchJson("/api/workspace/settings", new { approvalExpirySeconds = 10, billing = new { state = "" } });
        var wire = (await api.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(errors["billing.state"][0], wire.GetProperty("billing.state")[0].GetString());
    }

    [Fact]
    public async Task Billing_is_the_owners_alone_and_a_timestamp_that_is_not_one_is_named_beside_the_rules()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = await ws.OwnerAsync() with { Role = Role.Admin };

        var result = await server.Service<UpdateSettings>().ExecuteAsync(
            new UpdateSettingsCommand(admin, new SettingsPatch { BillingState = Billing.Cancelled }), null, default);

        Assert.Equal("only an owner can change billing", Assert.IsType<UpdateSettingsResult.Forbidden>(result).Detail);
        var api = await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { trialEndsAt = "soon", graceDays = 400 } });
        var wire = (await api.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal("must be an ISO 8601 timestamp", wire.GetProperty("billing.trialEndsAt")[0].GetString());
        Assert.Equal("must be between 0 and 365", wire.GetProperty("billing.graceDays")[0].GetString());
    }

    [Fact]
    public async Task An_invitation_to_an_address_that_is_not_one_is_refused_and_the_last_owner_keeps_the_role()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();

        var added = await server.Service<AddMember>().ExecuteAsync(new AddMemberCommand(owner, "not-an-address", "viewer"), null, default);
        var demoted = await server.Service<ChangeMemberRole>().ExecuteAsync(new ChangeMemberRoleCommand(owner, owner.UserId, "admin"), null, default);

        Assert.Equal(["must be an email address"], Assert.IsType<AddMemberResult.Invalid>(added).Errors.ToDictionary()["email"]);
        Assert.Equal("a workspace keeps at least one owner", Assert.IsType<ChangeMemberRoleResult.Conflict>(demoted).Detail);
        var api = await ws.Owner().PatchJson($"/api/workspace/members/{owner.UserId}", new { role = "admin" });
        await api.AssertProblem(HttpStatusCode.Conflict, "conflict");
        var missing = await server.Service<ChangeMemberRole>().ExecuteAsync(new ChangeMemberRoleCommand(owner, "usr_nope", "viewer"), null, default);
        Assert.IsType<ChangeMemberRoleResult.MemberNotFound>(missing);
    }
}

public sealed class WorkspaceUseCaseSqliteTests(SqliteServer s) : WorkspaceUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class WorkspaceUseCasePostgresTests(PostgresServer s) : WorkspaceUseCaseTests(s), IClassFixture<PostgresServer>;
