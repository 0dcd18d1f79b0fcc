using System.Text;

namespace Portcullis.Policies.Syntax;

internal enum FieldKind
{
    ActionType,
    Provider,
    ResourceType,
    ResourceId,
    AgentId,
    AgentName,
    AgentVersion,
    RunTriggerType,
    RunExternalRef,
    Source,
    WorkflowId,
    WorkflowName,
    WorkflowStep,
    Payload,
    Evidence,
    Context,
}

/// <summary>A resolved field: a fixed request field, or a path into the payload, evidence or context.</summary>
internal sealed record FieldRef(FieldKind Kind, IReadOnlyList<PathSegment> Path, string Text)
{
    public bool IsJson => Kind is FieldKind.Payload or FieldKind.Evidence or FieldKind.Context;
}

/// <summary>The catalogue of field names. Field names are matched case-insensitively; JSON keys inside paths are not.</summary>
internal static class Fields
{
    private static readonly Dictionary<string, FieldKind> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["action_type"] = FieldKind.ActionType,
        ["provider"] = FieldKind.Provider,
        ["resource_type"] = FieldKind.ResourceType,
        ["resource_id"] = FieldKind.ResourceId,
        ["agent.id"] = FieldKind.AgentId,
        ["agent.name"] = FieldKind.AgentName,
        ["agent.version"] = FieldKind.AgentVersion,
        ["run.trigger_type"] = FieldKind.RunTriggerType,
        ["run.external_ref"] = FieldKind.RunExternalRef,
        ["source"] = FieldKind.Source,
        ["workflow.id"] = FieldKind.WorkflowId,
        ["workflow.name"] = FieldKind.WorkflowName,
        ["workflow.step"] = FieldKind.WorkflowStep,
    };

    /// <summary>
    /// The roots a workflow step's <c>when</c> condition reads, the same variables its templates use. Each is a path
    /// into one JSON document the workflow runner builds (held in the context root), so the language stays one.
    /// </summary>
    private static readonly HashSet<string> StepRoots = new(StringComparer.OrdinalIgnoreCase) { "trigger", "steps", "run", "agent", "workflow" };

    /// <summary>The open JSON roots: any path below them is a field.</summary>
    private static readonly Dictionary<string, FieldKind> JsonRoots = new(StringComparer.OrdinalIgnoreCase)
    {
        ["payload"] = FieldKind.Payload,
        ["evidence"] = FieldKind.Evidence,
        ["context"] = FieldKind.Context,
    };

    // `workflow` is not a root here: `source = workflow` must stay a bare string (the workflow.* fields are in Fixed).
    private static readonly HashSet<string> Roots = new(StringComparer.OrdinalIgnoreCase)
    {
        "action_type", "provider", "resource_type", "resource_id", "agent", "run", "source", "payload", "evidence", "context",
    };

    public static bool TryResolve(Token word, out FieldRef field, ConditionScope scope = ConditionScope.Action)
    {
        field = null!;
        if (scope == ConditionScope.WorkflowStep)
        {
            return TryResolveStepVariable(word, out field);
        }

        if (JsonRoots.TryGetValue(word.Root, out var root))
        {
            field = new FieldRef(root, word.Segments, word.Root.ToLowerInvariant() + PathText(word.Segments));
            return true;
        }

        if (word.HasBrackets)
        {
            return false;
        }

        var dotted = word.Segments.Count == 0 ? word.Root : word.Root + "." + string.Join('.', word.Segments.Select(s => s.Name));
        if (!Fixed.TryGetValue(dotted, out var kind))
        {
            return false;
        }

        field = new FieldRef(kind, [], dotted.ToLowerInvariant());
        return true;
    }

    /// <summary>True when a word that is not a field still looks like a field reference (so it is never a bare string).</summary>
    public static bool LooksLikeField(Token word, ConditionScope scope = ConditionScope.Action) =>
        word.HasBrackets || (scope == ConditionScope.WorkflowStep ? StepRoots : Roots).Contains(word.Root);

    /// <summary>A step-condition variable: the root becomes the first step of a path into the variables document.</summary>
    private static bool TryResolveStepVariable(Token word, out FieldRef field)
    {
        field = null!;
        if (!StepRoots.Contains(word.Root) || word.Segments.Count == 0)
        {
            return false;
        }

        var root = word.Root.ToLowerInvariant();
        field = new FieldRef(FieldKind.Context, [PathSegment.Property(root), .. word.Segments], root + PathText(word.Segments));
        return true;
    }

    /// <summary>The hint for an unknown word in a step condition.</summary>
    public static string StepHint =>
        "a step condition reads `trigger.input.<path>`, `steps.<stepId>.output.<path>`, `steps.<stepId>.status`, `run.id`, `agent.name` or `workflow.name`";

    /// <summary>A hint for an unknown field, e.g. "did you mean `payload.amount`", or null.</summary>
    public static string? Suggest(Token word)
    {
        var guess = Closest(word.Text, Fixed.Keys);
        if (guess is not null)
        {
            return $"did you mean `{guess}`";
        }

        var rootGuess = Closest(word.Root, Roots);
        if (rootGuess is not null && JsonRoots.ContainsKey(rootGuess) && word.Segments.Count > 0)
        {
            return $"did you mean `{rootGuess}{PathText(word.Segments)}`";
        }

        return word.Segments.Count == 0 && !word.HasBrackets && !Roots.Contains(word.Root)
            ? $"use `payload.{word.Text}` for a payload value"
            : null;
    }

    /// <summary>Canonical text of path segments as written after a root: <c>.items[0]["odd key"]</c>.</summary>
    public static string PathText(IReadOnlyList<PathSegment> segments)
    {
        var sb = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.IsIndex)
            {
                sb.Append('[').Append(segment.Index).Append(']');
            }
            else if (IsPlainName(segment.Name!))
            {
                sb.Append('.').Append(segment.Name);
            }
            else
            {
                sb.Append("[\"").Append(segment.Name!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"]");
            }
        }

        return sb.ToString();
    }

    /// <summary>A path relative to the payload as used by <see cref="VelocityQuery.SumPath"/>: <c>amount</c>, <c>items[0].price</c>.</summary>
    public static string RelativePathText(IReadOnlyList<PathSegment> segments)
    {
        var text = PathText(segments);
        return text.StartsWith('.') ? text[1..] : text;
    }

    /// <summary>A name that reads back the same without brackets: word characters with single inner hyphens.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0
        && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    private static string? Closest(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(text.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static int EditDistance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
