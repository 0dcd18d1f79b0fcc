using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Connectors;

public sealed class MqttPolicyTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Policies_test_the_topic_and_demo_mode_simulates_the_publish()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no door commands", "action_type = mqtt.publish AND payload.topic STARTS WITH \"site/berlin/door/\"", "block", "doors are opened by people");
        var runId = await ws.StartRunAsync();

        var blocked = await ws.RequestActionAsync(new { runId, actionType = "mqtt.publish", payload = new { topic = "site/berlin/door/3/command", payload = new { command = "unlock" }, qos = 1 } });
        var allowed = await ws.RequestActionAsync(new { runId, actionType = "mqtt.publish", payload = new { topic = "site/berlin/lights/3/command", payload = "on", qos = 1 } });

        Assert.Equal("block", blocked.GetProperty("decision").GetString());
        Assert.Equal("allow", allowed.GetProperty("decision").GetString());
        var execution = allowed.GetProperty("execution");
        Assert.Equal(("executed", true, "mqtt"), (execution.GetProperty("status").GetString(), execution.GetProperty("simulated").GetBoolean(), execution.GetProperty("provider").GetString()));
        Assert.Equal("site/berlin/lights/3/command", execution.GetProperty("response_payload").GetProperty("topic").GetString());
    }

    [Fact]
    public async Task A_wildcard_topic_is_a_400_naming_the_field()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var response = await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "mqtt.publish", payload = new { topic = "site/+/door", payload = "x" } });

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["must not contain the wildcards `+` or `#`: publish to one topic"], errors.GetProperty("payload.topic").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task An_mqtt_credential_shows_its_broker_host_and_never_its_password()
    {
        var ws = await server.NewWorkspaceAsync();

        var created = await ws.Owner().PostJson("/api/credentials", new
        {
            // A public address: the outbound guard refuses a broker host that is internal or does not resolve (issue 13).
            provider = "mqtt", name = "Plant broker", secrets = new { brokerUrl = "mqtts://93.184.215.14:8883", username = "portcullis", password = "mqtt-secret-LEAKCHECK" },
        });

        var body = await created.Content.ReadAsStringAsync();
        await created.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("93.184.215.14", (await created.Json()).GetProperty("hint").GetString());
        Assert.DoesNotContain("LEAKCHECK", body, StringComparison.Ordinal);
        var refused = await ws.Owner().PostJson("/api/credentials", new { provider = "mqtt", name = "bad", secrets = new { brokerUrl = "tcp://broker.plant.example" } });
        await refused.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}
