using System.Net;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors.Tests.Security;

/// <summary>The outbound guard: internal addresses are refused unless the operator named them.</summary>
public sealed class OutboundGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.9.9.9")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("224.0.0.1")]
    public void Internal_addresses_are_internal(string address) => Assert.True(OutboundGuard.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void Public_addresses_are_not(string address) => Assert.False(OutboundGuard.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void Allowed_targets_are_addresses_ranges_or_host_names()
    {
        var guard = new OutboundGuard(["127.0.0.1", "10.1.0.0/16", "mcp.internal"]);

        Assert.True(guard.Allows("x", IPAddress.Parse("127.0.0.1")));
        Assert.False(guard.Allows("x", IPAddress.Parse("127.0.0.2")));
        Assert.True(guard.Allows("x", IPAddress.Parse("10.1.200.3")));
        Assert.False(guard.Allows("x", IPAddress.Parse("10.2.0.1")));
        Assert.True(guard.Allows("MCP.internal", IPAddress.Parse("192.168.0.9")));
        Assert.True(guard.Allows("x", IPAddress.Parse("93.184.215.14")));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("http://[::1]:8080/mcp", "loopback")]
    [InlineData("ftp://example.com/", "http or https")]
    [InlineData("http://user:pw@example.com/", "user info")]
    public async Task A_url_to_an_internal_address_is_refused_with_a_reason(string url, string reason)
    {
        var problem = await new OutboundGuard([]).ProblemAsync(new Uri(url), default);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public async Task A_url_on_an_allowed_address_passes() =>
        Assert.Null(await new OutboundGuard(["127.0.0.1"]).ProblemAsync(new Uri("http://127.0.0.1:3001/mcp"), default));
}
