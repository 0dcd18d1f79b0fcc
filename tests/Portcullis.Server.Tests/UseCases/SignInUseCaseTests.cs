using System.Net;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>SignInMember: the checks behind the API's login and the dashboard's sign-in form.</summary>
public abstract class SignInUseCaseTests(ServerFixture server)
{
    [Fact]
    public async Task An_unknown_email_and_a_wrong_password_get_the_same_refusal_as_the_api_gives()
    {
        var signIn = server.Service<SignInMember>();

        var unknown = await signIn.ExecuteAsync(new SignInMemberCommand("nobody@example.com", "whatever password"), null, default);
        var wrong = await signIn.ExecuteAsync(new SignInMemberCommand(Seed.OwnerEmail, "not the password"), null, default);

        Assert.IsType<SignInMemberResult.WrongCredentials>(unknown);
        Assert.IsType<SignInMemberResult.WrongCredentials>(wrong);
        var api = await server.Anonymous().PostJson("/api/auth/login", new { email = Seed.OwnerEmail, password = "not the password" });
        var problem = await api.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(AuthApi.WrongCredentialsDetail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_empty_email_is_named_and_a_good_sign_in_normalises_the_email_and_issues_a_session()
    {
        var signIn = server.Service<SignInMember>();

        var empty = await signIn.ExecuteAsync(new SignInMemberCommand("", null, Via: "dashboard"), null, default);
        var good = await signIn.ExecuteAsync(new SignInMemberCommand(" " + Seed.OwnerEmail.ToUpperInvariant(), Seed.OwnerPassword, Via: "dashboard"), null, default);

        var errors = Assert.IsType<SignInMemberResult.Invalid>(empty).Errors.ToDictionary();
        Assert.Equal(["must not be empty"], errors["email"]);
        Assert.Equal(["is required"], errors["password"]);
        var session = Assert.IsType<SignInMemberResult.SignedIn>(good);
        Assert.Equal(Seed.OwnerEmail, session.Email);
        await (await server.WithBearer(session.Token).GetAsync("/api/workspace")).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class SignInUseCaseSqliteTests(SqliteServer s) : SignInUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class SignInUseCasePostgresTests(PostgresServer s) : SignInUseCaseTests(s), IClassFixture<PostgresServer>;
