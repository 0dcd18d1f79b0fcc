using System.Net;
using System.Net.Sockets;
using Portcullis.Connectors.Security;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Security;

/// <summary>Every form of an internal address and every bad URL shape the probes of issue 13 tried, one case each.</summary>
public sealed class OutboundUrlFormTests
{
    [Theory]
    [InlineData("https://127.0.0.1/h")]
    [InlineData("https://localhost/h")]
    [InlineData("https://[::1]/h")]
    [InlineData("https://2130706433/h")]
    [InlineData("https://0x7f000001/h")]
    [InlineData("https://0177.0.0.1/h")]
    [InlineData("https://127.1/h")]
    [InlineData("https://[::ffff:127.0.0.1]/h")]
    [InlineData("https://[::127.0.0.1]/h")]
    [InlineData("https://[64:ff9b::7f00:1]/h")]
    [InlineData("https://[2002:7f00:1::]/h")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00::1]/h")]
    [InlineData("https://10.0.0.1/h")]
    [InlineData("https://172.16.0.1/h")]
    [InlineData("https://192.168.1.1/h")]
    [InlineData("https://0.0.0.0/h")]
    [InlineData("https://[::]/h")]
    [InlineData("https://224.0.0.1/h")]
    [InlineData("https://[ff02::1]/h")]
    [InlineData("https://[fe80::1]/h")]
    public async Task An_internal_address_in_any_form_is_refused(string url)
    {
        var problem = await new OutboundGuard([]).ProblemAsync(url, OutboundUrlRules.Endpoint, default);
        Assert.NotNull(problem);
        Assert.Contains("Portcullis:Network:AllowedTargets", problem);
    }

    [Theory]
    [InlineData("http://93.184.215.14/h", "https")]
    [InlineData("https://user:pw@93.184.215.14/h", "user info")]
    [InlineData("https://93.184.215.14/h#top", "fragment")]
    [InlineData("https://93.184.215.14/h\r\nX-Injected: 1", "control characters")]
    [InlineData("https://93.184.215.14/h\n", "control characters")]
    [InlineData("ftp://93.184.215.14/h", "https URL")]
    public async Task A_bad_shape_is_refused_before_any_lookup(string url, string reason)
    {
        var problem = await new OutboundGuard([]).ProblemAsync(url, OutboundUrlRules.Endpoint, default);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public async Task A_base_url_takes_no_query_but_an_endpoint_may()
    {
        var guard = new OutboundGuard([]);
        Assert.Contains("query", await guard.ProblemAsync("https://93.184.215.14/h?x=1", OutboundUrlRules.BaseUrl, default));
        Assert.Null(await guard.ProblemAsync("https://93.184.215.14/h?x=1", OutboundUrlRules.Endpoint, default));
    }

    [Fact]
    public async Task Plain_http_passes_only_where_the_operator_allowed_it()
    {
        Assert.Null(await new OutboundGuard([], allowHttp: true).ProblemAsync("http://93.184.215.14/h", OutboundUrlRules.Endpoint, default));
        Assert.Null(await new OutboundGuard(["10.0.0.0/8"]).ProblemAsync("http://10.1.2.3/h", OutboundUrlRules.Endpoint, default));
        Assert.Null(await new OutboundGuard(["hooks.internal"]).ProblemAsync("http://hooks.internal/h", OutboundUrlRules.Endpoint, default));
        Assert.NotNull(await new OutboundGuard(["10.0.0.0/8"]).ProblemAsync("http://93.184.215.14/h", OutboundUrlRules.Endpoint, default));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_connection_to_loopback_is_refused_at_connect_time_and_the_listener_sees_nothing(string host)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new OutboundGuard([], allowHttp: true).CreateHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://{host}:{port}/"));

        Assert.True(OutboundRefusedException.IsRefusal(error));
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_webhook_whose_base_url_resolves_inside_fails_with_url_not_allowed_after_one_attempt()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { ok = true }));
        using var guarded = new HttpClient(new OutboundGuard([], allowHttp: true).CreateHandler());
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime(), supplied: guarded);
        var credential = Credentials.Webhook(new UriBuilder(fake.BaseUrl) { Host = "localhost" }.Uri);

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/a", "body": {}}""", credential), default);

        Assert.False(result.Succeeded);
        Assert.Equal((ConnectorErrorCodes.UrlNotAllowed, 1), (result.Error!.ProviderCode, result.Attempts));
        Assert.Empty(fake.Requests);
    }
}
