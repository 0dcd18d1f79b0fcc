using System.Collections.Frozen;
using System.Text.Json;

namespace Portcullis.Connectors;

/// <summary>
/// The built-in action types, the provider that executes each, their payload schemas and hints, all read
/// from <see cref="ConnectorCatalog.All"/>. Custom action types are allowed elsewhere in Portcullis (policies
/// and approvals see any string); they are simply not in this catalog and never dispatch to a provider.
/// </summary>
public static class ActionCatalog
{
    private static readonly FrozenDictionary<string, CatalogEntry> ByType = ConnectorCatalog.All
        .SelectMany(c => c.Actions.Select(a => new CatalogEntry(c, a)))
        .ToFrozenDictionary(e => e.Action.ActionType, StringComparer.Ordinal);

    /// <summary>Provider names, in display order: stripe, gmail, hubspot, zendesk, slack, twilio, webhook.</summary>
    public static IReadOnlyList<string> Providers { get; } = ConnectorCatalog.All.Select(c => c.Provider).ToArray();

    /// <summary>Finds the provider that executes a built-in action type (e.g. <c>refund.create</c> → <c>stripe</c>).</summary>
    /// <returns>False for custom action types.</returns>
    public static bool TryGetProvider(string actionType, out string provider)
    {
        provider = ByType.TryGetValue(actionType, out var entry) ? entry.Provider : "";
        return provider.Length > 0;
    }

    /// <summary>The hints of a built-in action type.</summary>
    /// <returns>False for custom action types (then <paramref name="hints"/> is all false).</returns>
    public static bool TryGetHints(string actionType, out ActionHints hints)
    {
        hints = ByType.TryGetValue(actionType, out var entry) ? entry.Action.Hints : default;
        return entry is not null;
    }

    /// <summary>
    /// True when sending the action again cannot do harm: it is read-only or idempotent. False for custom
    /// action types, whose effects Portcullis cannot know.
    /// </summary>
    public static bool SafeToRepeat(string actionType) =>
        TryGetHints(actionType, out var hints) && (hints.ReadOnly || hints.Idempotent);

    /// <summary>
    /// Checks a payload against the action's schema and returns every offending field (path like
    /// <c>payload.amount</c>, lowercase message). Empty means valid; a custom action type has no schema
    /// and is always valid here.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(string actionType, JsonElement payload) =>
        ByType.TryGetValue(actionType, out var entry) ? entry.Action.Parse(payload).Errors : [];

    /// <summary>The built-in action types of a provider; empty for an unknown provider.</summary>
    public static IReadOnlyList<string> ActionsOf(string provider) =>
        ConnectorCatalog.Find(provider)?.Actions.Select(a => a.ActionType).ToArray() ?? [];

    internal static bool TryGetDefinition(string actionType, out CatalogEntry entry) =>
        ByType.TryGetValue(actionType, out entry!);
}

/// <summary>Well-known provider names.</summary>
internal static class ProviderNames
{
    public const string Stripe = "stripe";
    public const string Gmail = "gmail";
    public const string HubSpot = "hubspot";
    public const string Zendesk = "zendesk";
    public const string Slack = "slack";
    public const string Twilio = "twilio";
    public const string Webhook = "webhook";
    public const string Mqtt = "mqtt";
}

/// <summary>A built-in action and the provider that executes it.</summary>
internal sealed record CatalogEntry(ConnectorDescriptor Connector, ActionDescriptor Action)
{
    public string Provider => Connector.Provider;

    public ParsedPayload Parse(JsonElement payload) => Action.Parse(payload);
}
