using Microsoft.Extensions.DependencyInjection;

namespace Portcullis.Client.Tests;

public sealed class DependencyInjectionTests : ClientTestBase
{
    [Fact]
    public async Task AddPortcullisClient_registers_a_factory_client_that_sends_with_the_configured_key_and_follows_no_redirect()
    {
        var services = new ServiceCollection();
        services.AddPortcullisClient(options =>
        {
            options.BaseUrl = Server.Url;
            options.AgentKey = "pk_live_from_di";
        });
        await using var provider = services.BuildServiceProvider();
        Server.Reply(
            Fixtures.Json(Fixtures.Approval()),
            new Reply { Status = 307, Headers = new Dictionary<string, string> { ["Location"] = "http://127.0.0.1:9/elsewhere" } });

        var client = provider.GetRequiredService<PortcullisClient>();
        await client.GetApprovalAsync("apr_1");
        var redirect = await Assert.ThrowsAsync<PortcullisException>(() => client.GetApprovalAsync("apr_1"));

        Assert.Equal("Bearer pk_live_from_di", Server.Received[0].Header("Authorization"));
        Assert.Equal(307, redirect.Status);
        Assert.Equal(2, Server.Received.Count);
    }

    [Fact]
    public void A_registration_without_an_agent_key_fails_when_resolved()
    {
        var services = new ServiceCollection();
        services.AddPortcullisClient(options => options.BaseUrl = Server.Url);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<ArgumentNullException>(() => provider.GetRequiredService<PortcullisClient>());
    }
}
