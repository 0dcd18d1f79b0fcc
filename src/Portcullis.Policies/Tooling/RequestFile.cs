using System.Text.Json;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Tooling;

/// <summary>A request to evaluate, with the velocity figures a test wants to pretend storage returned.</summary>
internal sealed record ToolRequest(ActionContext Context, IReadOnlyDictionary<VelocityQuery, decimal> Velocity);

/// <summary>
/// The request file: the body of <c>POST /api/actions/request</c> (<c>actionType</c>, <c>provider</c>,
/// <c>resourceType</c>, <c>resourceId</c>, <c>payload</c>, <c>evidence</c>) plus optional
/// <c>source</c> (<c>rest</c>, <c>dashboard</c>, <c>workflow</c> or <c>mcp</c>), <c>context</c> (any JSON), <c>agent: {id, name, version}</c>, <c>run: {triggerType, externalRef}</c>, <c>workflow: {id, name, step}</c> and
/// <c>velocity: [{aggregate, scope, window, actionType?, sumPath?, value}]</c> (<c>scope</c> <c>agent</c>, <c>workspace</c> or
/// <c>run</c>; a run's window may be left out). <c>run.history</c> lists the run's earlier requests
/// (<c>[{actionType, provider?, resourceType?, resourceId?, decision, status, payload?}]</c>), from which every <c>PER run</c>
/// figure is computed.
/// </summary>
internal static class RequestFile
{
    public static ToolRequest? Load(string path, TextWriter stderr)
    {
        using var doc = ToolFiles.ReadJson(path, stderr);
        if (doc is null)
        {
            return null;
        }

        if (!TryRead(doc.RootElement, out var request, out var error))
        {
            stderr.WriteLine($"{path}: {error}");
            return null;
        }

        return request;
    }

    /// <summary>Reads a request object; JSON values are cloned so they outlive the document.</summary>
    public static bool TryRead(JsonElement root, out ToolRequest request, out string error)
    {
        request = null!;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "expected a JSON object describing the action request";
            return false;
        }

        var actionType = ToolFiles.GetString(root, "actionType");
        if (string.IsNullOrEmpty(actionType))
        {
            error = "`actionType` is required and must be a string";
            return false;
        }

        var agent = Child(root, "agent");
        var run = Child(root, "run");
        var workflow = Child(root, "workflow");
        var action = new ActionContext
        {
            ActionType = actionType,
            Provider = ToolFiles.GetString(root, "provider"),
            ResourceType = ToolFiles.GetString(root, "resourceType"),
            ResourceId = ToolFiles.GetString(root, "resourceId"),
            Payload = root.TryGetProperty("payload", out var payload) ? payload.Clone() : null,
            Evidence = root.TryGetProperty("evidence", out var evidence) ? evidence.Clone() : null,
            Source = ToolFiles.GetString(root, "source"),
            Context = root.TryGetProperty("context", out var context) ? context.Clone() : null,
            AgentId = agent is { } a ? ToolFiles.GetString(a, "id") : null,
            AgentName = agent is { } n ? ToolFiles.GetString(n, "name") : null,
            AgentVersion = agent is { } v ? ToolFiles.GetString(v, "version") : null,
            RunTriggerType = run is { } r ? ToolFiles.GetString(r, "triggerType") : null,
            RunExternalRef = run is { } x ? ToolFiles.GetString(x, "externalRef") : null,
            WorkflowId = workflow is { } w ? ToolFiles.GetString(w, "id") : null,
            WorkflowName = workflow is { } wn ? ToolFiles.GetString(wn, "name") : null,
            WorkflowStep = workflow is { } ws ? ToolFiles.GetString(ws, "step") : null,
        };

        var velocity = new Dictionary<VelocityQuery, decimal>();
        if (root.TryGetProperty("velocity", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                error = "`velocity` must be an array";
                return false;
            }

            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (!TryReadVelocity(item, out var query, out var value, out var problem))
                {
                    error = $"velocity[{index}]: {problem}";
                    return false;
                }

                velocity[query] = value;
                index++;
            }
        }

        if (!TryReadHistory(run, out var history, out error))
        {
            return false;
        }

        request = new ToolRequest(action, new RunHistory(velocity, history));
        return true;
    }

    private static bool TryReadHistory(JsonElement? run, out List<EarlierRequest>? history, out string error)
    {
        history = null;
        error = "";
        if (run is not { } r || !r.TryGetProperty("history", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            error = "`run.history` must be an array of earlier requests";
            return false;
        }

        history = [];
        foreach (var item in list.EnumerateArray())
        {
            var (actionType, decision, status) = item.ValueKind == JsonValueKind.Object
                ? (ToolFiles.GetString(item, "actionType"), ToolFiles.GetString(item, "decision"), ToolFiles.GetString(item, "status"))
                : (null, null, null);
            if (actionType is null || decision is null || status is null)
            {
                error = $"run.history[{history.Count}]: expected an object with string `actionType`, `decision` and `status`";
                return false;
            }

            history.Add(new EarlierRequest(actionType, ToolFiles.GetString(item, "provider"), ToolFiles.GetString(item, "resourceType"),
                ToolFiles.GetString(item, "resourceId"), decision, status, item.TryGetProperty("payload", out var p) ? p.Clone() : null));
        }

        return true;
    }

    private static JsonElement? Child(JsonElement root, string name) =>
        root.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static bool TryReadVelocity(JsonElement item, out VelocityQuery query, out decimal value, out string error)
    {
        query = null!;
        value = 0;
        if (item.ValueKind != JsonValueKind.Object)
        {
            error = "expected an object such as {\"aggregate\": \"count\", \"scope\": \"agent\", \"window\": \"1h\", \"value\": 3}";
            return false;
        }

        var aggregate = ToolFiles.GetString(item, "aggregate")?.ToLowerInvariant();
        var scope = ToolFiles.GetString(item, "scope")?.ToLowerInvariant();
        var window = ToolFiles.GetString(item, "window") ?? "";
        string? sumPath = null;
        error = (aggregate, scope) switch
        {
            (not ("count" or "sum"), _) => "`aggregate` must be `count` or `sum`",
            (_, not ("agent" or "workspace" or "run")) => "`scope` must be `agent`, `workspace` or `run`",
            _ when (scope != "run" || window.Length > 0) && (!Durations.TryParse(window, out var w) || !Durations.IsInRange(w)) =>
                $"`window` must be a duration such as `1h` or `24h`, found `{window}`",
            _ when aggregate == "sum" && !TryCanonicalSumPath(ToolFiles.GetString(item, "sumPath"), out sumPath) => "`sumPath` must name a payload field, e.g. `amount`",
            _ when !item.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out _) => "`value` must be a number",
            _ => "",
        };
        if (error.Length > 0)
        {
            return false;
        }

        var span = window.Length == 0 ? TimeSpan.Zero : Durations.TryParse(window, out var w2) ? w2 : TimeSpan.Zero;
        value = item.GetProperty("value").GetDecimal();
        var actionType = ToolFiles.GetString(item, "actionType");
        query = new VelocityQuery(
            aggregate == "sum" ? VelocityAggregate.Sum : VelocityAggregate.Count,
            sumPath,
            span,
            scope switch { "agent" => VelocityScope.Agent, "workspace" => VelocityScope.Workspace, _ => VelocityScope.Run },
            actionType);
        return true;
    }

    /// <summary>Accepts <c>amount</c> or <c>payload.amount</c>, and returns the canonical form used by <see cref="VelocityQuery.SumPath"/>.</summary>
    private static bool TryCanonicalSumPath(string? path, out string? canonical)
    {
        canonical = TryPayloadPath(path, out var segments) ? Fields.RelativePathText(segments) : null;
        return canonical is not null;
    }

    /// <summary>The segments of a payload path written as <c>amount</c>, <c>items[0].price</c> or <c>payload.amount</c>.</summary>
    public static bool TryPayloadPath(string? path, out IReadOnlyList<PathSegment> segments)
    {
        segments = [];
        if (string.IsNullOrWhiteSpace(path))
        {
            return false;
        }

        var text = path.StartsWith("payload", StringComparison.OrdinalIgnoreCase) ? path : (path.StartsWith('[') ? "payload" : "payload.") + path;
        var source = new SourceText(text);
        var diagnostics = new DiagnosticBag(source);
        var tokens = Lexer.Tokenize(source, diagnostics);
        if (diagnostics.Count > 0 || tokens.Count != 2 || !Fields.TryResolve(tokens[0], out var field) || field.Path.Count == 0)
        {
            return false;
        }

        segments = field.Path;
        return true;
    }
}
