using System.Text.Json;
using Portcullis.Policies.Tooling;

namespace Portcullis.Policies.Tests.Tooling;

public sealed class PolicyToolTests : IDisposable
{
    private const string GoodPolicies = """
        [
          // comments and trailing commas are fine in hand-written files
          { "name": "Large refunds", "condition": "action_type = refund.create AND payload.amount > 5000",
            "decision": "require_approval", "reason": "refunds above 50.00 need a human", "priority": 10 },
          { "name": "Refund burst", "condition": "COUNT(LAST 1h PER agent SAME ACTION) > 20", "decision": "block" },
          { "name": "EU refunds", "condition": "payload.currency = eur", "decision": "allow_with_alert", "agentIds": ["agt_1"] },
          { "name": "Old rule", "condition": "payload.amount > 0", "decision": "block", "enabled": false },
        ]
        """;

    private const string Request = """
        { "actionType": "refund.create", "provider": "stripe", "resourceType": "charge", "resourceId": "ch_1",
          "payload": { "amount": 6000, "currency": "eur" },
          "agent": { "id": "agt_1", "name": "refund-bot", "version": "1.0.0" },
          "run": { "triggerType": "webhook", "externalRef": "t-1" },
          "velocity": [ { "aggregate": "count", "scope": "agent", "window": "60m", "actionType": "refund.create", "value": 3 } ] }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("portcullis-policy-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Check_accepts_a_valid_file()
    {
        var (code, stdout, stderr) = Run((o, e) => PolicyTool.Check(Write("policies.json", GoodPolicies), o, e));

        Assert.Equal(0, code);
        Assert.EndsWith("policies.json: 4 policies, no problems\n", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Check_prints_every_problem_with_name_position_code_message_and_excerpt()
    {
        var file = Write("policies.json", """
            [
              { "name": "Typo", "condition": "action_type = refund.create\nAND payloa.amount > 5000", "decision": "block" },
              { "name": "Fine", "condition": "payload.amount > 1", "decision": "allow" },
              { "name": "Bad decision", "condition": "payload.x ==", "decision": "deny" }
            ]
            """);

        var (code, stdout, _) = Run((o, e) => PolicyTool.Check(file, o, e));

        Assert.Equal(1, code);
        Assert.Equal(
            $"""
            {file}: policy `Typo`: 2:5: unknown_field: unknown field `payloa.amount`; did you mean `payload.amount`
                AND payloa.amount > 5000
                    ^^^^^^^^^^^^^
            {file}: policy `Bad decision`: invalid_policy: `decision` must be allow, allow_with_alert, require_approval or block, found `deny`
            {file}: policy `Bad decision`: 1:11: unknown_operator: `==` is not an operator; use `=`
                payload.x ==
                          ^^
            {file}: policy `Bad decision`: 1:13: expected_value: expected a value after `==`, found end of condition
                payload.x ==
                            ^
            {file}: 4 problems in 2 of 3 policies

            """,
            stdout);
    }

    [Theory]
    [InlineData("[ { \"name\": \"x\" ", "invalid JSON")]
    [InlineData("{ \"name\": \"x\" }", "expected a JSON array of policies")]
    public void Check_rejects_files_that_are_not_a_policy_array(string content, string message)
    {
        var (code, stdout, stderr) = Run((o, e) => PolicyTool.Check(Write("p.json", content), o, e));

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Check_reports_a_missing_file()
    {
        var (code, _, stderr) = Run((o, e) => PolicyTool.Check(Path.Combine(_dir, "nope.json"), o, e));

        Assert.Equal(2, code);
        Assert.Contains("cannot read file", stderr);
    }

    [Fact]
    public void Check_reports_bad_fields_of_an_entry()
    {
        var file = Write("p.json", """[ 5, { "condition": 3, "decision": "block", "priority": "high", "enabled": "yes", "agentIds": "agt_1" } ]""");

        var (code, stdout, _) = Run((o, e) => PolicyTool.Check(file, o, e));

        Assert.Equal(1, code);
        Assert.Contains("policy `#1`: invalid_policy: a policy must be a JSON object", stdout);
        Assert.Contains("policy `#2`: invalid_policy: `name` is required and must be a non-empty string", stdout);
        Assert.Contains("`condition` is required and must be a string", stdout);
        Assert.Contains("`priority` must be an integer, found `\"high\"`", stdout);
        Assert.Contains("`enabled` must be true or false, found `\"yes\"`", stdout);
        Assert.Contains("`agentIds` must be an array of strings", stdout);
    }

    [Fact]
    public void Eval_prints_the_decision_as_json()
    {
        var (code, stdout, stderr) = Run((o, e) => PolicyTool.Eval(Write("p.json", GoodPolicies), Write("r.json", Request), o, e));

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("require_approval", root.GetProperty("decision").GetString());
        Assert.Equal("refunds above 50.00 need a human", root.GetProperty("reason").GetString());
        Assert.Equal(
            ["Large refunds:require_approval:10", "EU refunds:allow_with_alert:0"],
            root.GetProperty("matchedPolicies").EnumerateArray().Select(m => $"{m.GetProperty("name").GetString()}:{m.GetProperty("decision").GetString()}:{m.GetProperty("priority").GetInt32()}"));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("matchedPolicies")[1].GetProperty("reason").ValueKind);
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void Eval_uses_velocity_values_from_the_request_and_reports_missing_ones()
    {
        var policies = Write("p.json", GoodPolicies);
        var busy = Request.Replace("\"value\": 3", "\"value\": 21", StringComparison.Ordinal);
        var none = Request.Replace("\"actionType\": \"refund.create\", \"value\"", "\"actionType\": null, \"value\"", StringComparison.Ordinal);

        var (_, blocked, _) = Run((o, e) => PolicyTool.Eval(policies, Write("busy.json", busy), o, e));
        var (_, failed, _) = Run((o, e) => PolicyTool.Eval(policies, Write("none.json", none), o, e));

        Assert.Contains("\"decision\": \"block\"", blocked);
        Assert.Contains("\"decision\": \"block\"", failed);
        Assert.Contains("\"code\": \"velocity_unavailable\"", failed);
        Assert.Contains("\"policy\": \"Refund burst\"", failed);
    }

    [Fact]
    public void Eval_applies_the_default_decision_when_nothing_matches()
    {
        var policies = Write("p.json", """[ { "name": "Never", "condition": "payload.amount > 1e9", "decision": "block" } ]""");
        var request = Write("r.json", """{ "actionType": "email.send", "payload": { "amount": 1 } }""");

        var (code, stdout, _) = Run((o, e) => PolicyTool.Eval(policies, request, o, e, "require_approval"));

        Assert.Equal(0, code);
        Assert.Equal(
            """
            {
              "decision": "require_approval",
              "reason": "no policy matched; workspace default applies",
              "matchedPolicies": [],
              "errors": []
            }

            """,
            stdout);
    }

    [Fact]
    public void Eval_reads_source_and_context_from_the_request()
    {
        var policies = Write("p.json", """
            [ { "name": "MCP refunds", "condition": "source = mcp AND action_type = refund.create", "decision": "require_approval" },
              { "name": "Urgent tickets", "condition": "context.ticket.priority = urgent AND context.ticket.tags CONTAINS vip", "decision": "allow_with_alert" } ]
            """);
        var request = Write("r.json", """{ "actionType": "refund.create", "source": "mcp", "context": { "ticket": { "priority": "urgent", "tags": ["vip"] } } }""");
        var plain = Write("plain.json", """{ "actionType": "refund.create" }""");

        var (code, stdout, _) = Run((o, e) => PolicyTool.Eval(policies, request, o, e));
        var (_, none, _) = Run((o, e) => PolicyTool.Eval(policies, plain, o, e));

        Assert.Equal(0, code);
        Assert.Contains("\"name\": \"MCP refunds\"", stdout);
        Assert.Contains("\"name\": \"Urgent tickets\"", stdout);
        Assert.Contains("\"decision\": \"allow\"", none);
        Assert.Contains("\"matchedPolicies\": []", none);
    }

    [Theory]
    [InlineData("""{ "payload": {} }""", "`actionType` is required")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{ "actionType": "a", "velocity": [ { "aggregate": "avg", "scope": "agent", "window": "1h", "value": 1 } ] }""", "velocity[0]: `aggregate` must be `count` or `sum`")]
    [InlineData("""{ "actionType": "a", "velocity": [ { "aggregate": "count", "scope": "team", "window": "1h", "value": 1 } ] }""", "`scope` must be `agent`, `workspace` or `run`")]
    [InlineData("""{ "actionType": "a", "velocity": [ { "aggregate": "count", "scope": "agent", "window": "1 hour", "value": 1 } ] }""", "`window` must be a duration")]
    [InlineData("""{ "actionType": "a", "velocity": [ { "aggregate": "sum", "scope": "agent", "window": "1h", "value": 1 } ] }""", "`sumPath` must name a payload field")]
    [InlineData("""{ "actionType": "a", "velocity": [ { "aggregate": "count", "scope": "agent", "window": "1h", "value": "3" } ] }""", "`value` must be a number")]
    [InlineData("""{ "actionType": "a", "velocity": {} }""", "`velocity` must be an array")]
    [InlineData("""{ "actionType": "a", "run": { "history": {} } }""", "`run.history` must be an array")]
    [InlineData("""{ "actionType": "a", "run": { "history": [ { "actionType": "b", "decision": "allow" } ] } }""", "run.history[0]: expected an object with string `actionType`, `decision` and `status`")]
    public void Eval_rejects_a_malformed_request(string request, string message)
    {
        var (code, stdout, stderr) = Run((o, e) => PolicyTool.Eval(Write("p.json", GoodPolicies), Write("r.json", request), o, e));

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Eval_answers_rules_across_steps_from_the_run_history()
    {
        var policies = Write("p.json", """
            [ { "name": "Retrieve first", "condition": "action_type = refund.create AND COUNT(PER run WHERE action_type = charge.retrieve AND status = executed AND payload.chargeId = payload.charge) = 0", "decision": "block" } ]
            """);
        var history = """[ { "actionType": "charge.retrieve", "decision": "allow", "status": "executed", "payload": { "chargeId": "ch_1" } } ]""";
        var prepared = Write("ok.json", $$"""{ "actionType": "refund.create", "payload": { "charge": "ch_1" }, "run": { "history": {{history}} } }""");
        var unprepared = Write("no.json", $$"""{ "actionType": "refund.create", "payload": { "charge": "ch_2" }, "run": { "history": {{history}} } }""");

        var (_, allowed, _) = Run((o, e) => PolicyTool.Eval(policies, prepared, o, e));
        var (_, blocked, _) = Run((o, e) => PolicyTool.Eval(policies, unprepared, o, e));

        Assert.Contains("\"decision\": \"allow\"", allowed);
        Assert.Contains("\"decision\": \"block\"", blocked);
        Assert.Contains("\"name\": \"Retrieve first\"", blocked);
    }

    [Fact]
    public void Eval_accepts_sum_paths_with_or_without_the_payload_prefix()
    {
        var policies = Write("p.json", """[ { "name": "Cap", "condition": "SUM(payload.lines[0].amount, LAST 1d PER agent) > 10", "decision": "block" } ]""");
        foreach (var path in new[] { "lines[0].amount", "payload.lines[0].amount" })
        {
            var request = Write("r.json", $$"""{ "actionType": "a", "payload": { "lines": [ { "amount": 5 } ] }, "velocity": [ { "aggregate": "sum", "scope": "agent", "window": "24h", "sumPath": "{{path}}", "value": 6 } ] }""");

            var (_, stdout, _) = Run((o, e) => PolicyTool.Eval(policies, request, o, e));

            Assert.Contains("\"decision\": \"block\"", stdout);
        }
    }

    [Fact]
    public void Eval_stops_on_policy_problems_and_on_a_bad_default()
    {
        var broken = Write("p.json", """[ { "name": "Broken", "condition": "amount > 1", "decision": "block" } ]""");
        var request = Write("r.json", Request);

        var (problems, _, problemText) = Run((o, e) => PolicyTool.Eval(broken, request, o, e));
        var (badDefault, _, defaultText) = Run((o, e) => PolicyTool.Eval(Write("ok.json", GoodPolicies), request, o, e, "deny"));

        Assert.Equal(1, problems);
        Assert.Contains("unknown_field", problemText);
        Assert.Equal(2, badDefault);
        Assert.Contains("default decision `deny`", defaultText);
    }

    [Fact]
    public void Bench_reports_throughput_latency_and_allocation()
    {
        var (code, stdout, _) = Run((o, e) => PolicyTool.Bench(Write("p.json", GoodPolicies), Write("r.json", Request), 0.3, o, e));

        Assert.Equal(0, code);
        Assert.Matches(@"policies: 4, decision: require_approval \(refunds above 50.00 need a human\)", stdout);
        Assert.Matches(@"decisions: [\d,]+ in [\d.]+ s = [\d,]+/s", stdout);
        Assert.Matches(@"latency: p50 [\d.]+ µs, p99 [\d.]+ µs", stdout);
        Assert.Matches(@"allocated: \d+ B per decision", stdout);
    }

    [Fact]
    public void Bench_rejects_a_bad_duration()
    {
        var (code, _, stderr) = Run((o, e) => PolicyTool.Bench(Write("p.json", GoodPolicies), Write("r.json", Request), 0, o, e));

        Assert.Equal(2, code);
        Assert.Contains("seconds must be", stderr);
    }

    [Fact]
    public void Latency_meter_keeps_bounded_evenly_spread_samples()
    {
        var meter = new LatencyMeter(capacity: 8);
        for (var i = 1; i <= 1000; i++)
        {
            meter.Record(i);
        }

        Assert.Equal(1000, meter.Calls);
        Assert.InRange(meter.PercentileMicroseconds(50), 0, 1);
        Assert.True(meter.PercentileMicroseconds(99) >= meter.PercentileMicroseconds(50));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(Func<TextWriter, TextWriter, int> tool)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = tool(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
