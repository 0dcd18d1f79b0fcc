using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary><c>GET /metrics</c> in the Prometheus text format, read by a real Prometheus.</summary>
public sealed class PrometheusTests(PrometheusServer server) : IClassFixture<PrometheusServer>
{
    [Fact]
    public async Task Metrics_need_the_configured_bearer_token()
    {
        await (await server.Http().GetAsync("/metrics")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await server.Http("wrong-token").GetAsync("/metrics")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var response = await server.Http(PrometheusServer.MetricsToken).GetAsync("/metrics");
        await response.AssertStatus(HttpStatusCode.OK);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_decision_counter()
    {
        var ws = server.Seeded;
        var runId = await ws.StartRunAsync();
        var actionType = "custom.scraped_" + Guid.NewGuid().ToString("n")[..8];
        foreach (var n in new[] { 1, 2 })
        {
            await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType, payload = new { n } })).AssertStatus(HttpStatusCode.OK);
        }

        await using var prometheus = RealPrometheus.Start(new Uri(server.BaseUrl).Authority, PrometheusServer.MetricsToken);
        var value = await prometheus.QueryUntilAsync($"portcullis_decisions_total{{action_type=\"{actionType}\",decision=\"allow\"}}", TimeSpan.FromSeconds(60));

        Assert.Equal(2, value);
    }
}
