using System.CommandLine;
using Portcullis.Policies.Tooling;

namespace Portcullis.Server.Cli;

/// <summary>
/// <c>portcullis policy check|eval|bench</c>: test policies offline, in a user's own CI, like <c>opa eval</c>.
/// No server or database is involved. <c>pull|push</c> move the same file to and from a server (<see cref="PolicyRemote"/>).
/// </summary>
public static class PolicyCommands
{
    public static Command Create()
    {
        var policy = new Command("policy", "Check, evaluate and benchmark policy files offline.");

        var file = new Argument<string>("FILE") { Description = "JSON array of { name, condition, decision, reason?, priority? }" };
        var check = new Command("check", "Report every diagnostic; exit 1 if any policy is invalid.") { file };
        check.SetAction(parse => PolicyTool.Check(parse.GetValue(file)!, Console.Out, Console.Error));

        var policies = new Option<string>("--policies") { Description = "Policies file", Required = true };
        var request = new Option<string>("--request") { Description = "JSON object with the body fields of requestAction", Required = true };
        var fallback = new Option<string>("--default") { Description = "Decision when no policy matches", DefaultValueFactory = _ => "allow" };
        var eval = new Command("eval", "Print the decision for one request as JSON.") { policies, request, fallback };
        eval.SetAction(parse => PolicyTool.Eval(parse.GetValue(policies)!, parse.GetValue(request)!, Console.Out, Console.Error, parse.GetValue(fallback)!));

        var seconds = new Option<double>("--seconds") { Description = "How long to run", DefaultValueFactory = _ => 5 };
        var bench = new Command("bench", "Decisions per second and p50/p99 latency in µs.") { policies, request, seconds };
        bench.SetAction(parse => PolicyTool.Bench(parse.GetValue(policies)!, parse.GetValue(request)!, parse.GetValue(seconds), Console.Out, Console.Error));

        policy.Subcommands.Add(check);
        policy.Subcommands.Add(eval);
        policy.Subcommands.Add(bench);
        policy.Subcommands.Add(Pull());
        policy.Subcommands.Add(Push());
        return policy;
    }

    private static Option<string> UrlOption() => new("--url") { Description = "Server URL (default: PORTCULLIS_URL)" };

    private static Option<string> TokenOption() => new("--token") { Description = "Personal access token, pat_… (default: PORTCULLIS_TOKEN)" };

    private static Command Pull()
    {
        var (url, token) = (UrlOption(), TokenOption());
        var file = new Argument<string?>("FILE") { Description = "Where to write the policies file (default: standard output)", Arity = ArgumentArity.ZeroOrOne };
        var pull = new Command("pull", "Write the workspace's policies as a policies file (GET /api/policies/export).") { file, url, token };
        pull.SetAction(async (parse, ct) => PolicyRemote.From(parse.GetValue(url), parse.GetValue(token), Console.Out, Console.Error) is { } remote
            ? await remote.PullAsync(parse.GetValue(file), ct)
            : PolicyRemote.Usage);
        return pull;
    }

    private static Command Push()
    {
        var (url, token) = (UrlOption(), TokenOption());
        var file = new Argument<string>("FILE") { Description = "The policies file: it replaces the workspace's policies, matched by name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change and change nothing" };
        var push = new Command("push", "Make the workspace's policies those of FILE and print the diff (POST /api/policies/import).") { file, dryRun, url, token };
        push.SetAction(async (parse, ct) => PolicyRemote.From(parse.GetValue(url), parse.GetValue(token), Console.Out, Console.Error) is { } remote
            ? await remote.PushAsync(parse.GetValue(file)!, parse.GetValue(dryRun), ct)
            : PolicyRemote.Usage);
        return push;
    }
}
