using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Tooling;

/// <summary>An earlier action request of the run, as a request file lists it under <c>run.history</c>.</summary>
internal sealed record EarlierRequest(string ActionType, string? Provider, string? ResourceType, string? ResourceId, string Decision, string Status, JsonElement? Payload);

/// <summary>
/// The velocity figures of a request file: the ones it states outright, and every <c>PER run</c> figure computed
/// from its <c>run.history</c> by the rules the server's storage query follows (so <c>policy eval</c> answers as the
/// server would). The history is taken to be the run's requests inside any window; without one, run figures are unknown.
/// </summary>
internal sealed class RunHistory(IReadOnlyDictionary<VelocityQuery, decimal> stated, IReadOnlyList<EarlierRequest>? history)
    : IReadOnlyDictionary<VelocityQuery, decimal>
{
    public decimal this[VelocityQuery key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key.ToString());

    public IEnumerable<VelocityQuery> Keys => stated.Keys;

    public IEnumerable<decimal> Values => stated.Values;

    public int Count => stated.Count;

    public bool ContainsKey(VelocityQuery key) => TryGetValue(key, out _);

    public bool TryGetValue(VelocityQuery key, [MaybeNullWhen(false)] out decimal value)
    {
        if (stated.TryGetValue(key, out value))
        {
            return true;
        }

        if (history is null || key.Scope != VelocityScope.Run)
        {
            return false;
        }

        value = key.MatchesNothing ? 0 : history.Where(r => Counts(key, r)).Sum(r => key.Aggregate == VelocityAggregate.Count ? 1 : Number(r.Payload, key.SumPath));
        return true;
    }

    public IEnumerator<KeyValuePair<VelocityQuery, decimal>> GetEnumerator() => stated.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool Counts(VelocityQuery query, EarlierRequest request) =>
        (query.IncludesBlocked || request.Decision != "block")
        && (query.ActionType is null || query.ActionType == request.ActionType)
        && query.Filters.All(f => Passes(f, request));

    private static bool Passes(VelocityFilter filter, EarlierRequest request)
    {
        if (filter.Field == EarlierField.Payload)
        {
            var element = At(request.Payload, filter.PayloadPath);
            var present = element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
            return filter.Negated ? present && !JsonEquals(element!.Value, filter.Value) : present && JsonEquals(element!.Value, filter.Value);
        }

        var text = filter.Field switch
        {
            EarlierField.ActionType => request.ActionType,
            EarlierField.Provider => request.Provider,
            EarlierField.ResourceType => request.ResourceType,
            EarlierField.ResourceId => request.ResourceId,
            EarlierField.Decision => request.Decision,
            _ => request.Status,
        };

        // Recorded fields are text: only a string value can equal them.
        var equal = text is not null && filter.Value.Text == text;
        return filter.Negated ? text is not null && !equal : equal;
    }

    private static bool JsonEquals(JsonElement element, FilterValue value) => element.ValueKind switch
    {
        JsonValueKind.String => value.Text is not null && element.GetString() == value.Text,
        JsonValueKind.Number => value.Number is { } n && element.TryGetDecimal(out var d) && d == n,
        JsonValueKind.True => value.Boolean == true,
        JsonValueKind.False => value.Boolean == false,
        _ => false,
    };

    /// <summary>Only JSON numbers are summed, as in storage.</summary>
    private static decimal Number(JsonElement? payload, string? path) =>
        At(payload, path) is { ValueKind: JsonValueKind.Number } e && e.TryGetDecimal(out var d) ? d : 0;

    private static JsonElement? At(JsonElement? payload, string? canonicalPath)
    {
        if (payload is not { } current || canonicalPath is null || !RequestFile.TryPayloadPath(canonicalPath, out var segments))
        {
            return null;
        }

        foreach (var segment in segments)
        {
            if (segment.IsIndex ? current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength()
                : current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment.Name!, out _))
            {
                return null;
            }

            current = segment.IsIndex ? current[segment.Index] : current.GetProperty(segment.Name!);
        }

        return current;
    }
}
