using System.Collections.Frozen;
using System.Text.Json;
using Portcullis.Connectors.Gmail;
using Portcullis.Connectors.HubSpot;
using Portcullis.Connectors.Slack;
using Portcullis.Connectors.Stripe;
using Portcullis.Connectors.Twilio;
using Portcullis.Connectors.Webhook;
using Portcullis.Connectors.Zendesk;

namespace Portcullis.Connectors;

/// <summary>
/// The built-in action types, the provider that executes each, and their payload schemas. Custom action
/// types are allowed elsewhere in Portcullis (policies and approvals see any string); they are simply not
/// in this catalog and never dispatch to a provider.
/// </summary>
public static class ActionCatalog
{
    private static readonly ActionDefinition[] Definitions =
    [
        .. StripeActions.Definitions,
        .. GmailActions.Definitions,
        .. HubSpotActions.Definitions,
        .. ZendeskActions.Definitions,
        .. SlackActions.Definitions,
        .. TwilioActions.Definitions,
        .. WebhookActions.Definitions,
    ];

    private static readonly FrozenDictionary<string, ActionDefinition> ByType =
        Definitions.ToFrozenDictionary(d => d.ActionType, StringComparer.Ordinal);

    /// <summary>Provider names, in display order: stripe, gmail, hubspot, zendesk, slack, twilio, webhook.</summary>
    public static IReadOnlyList<string> Providers { get; } =
    [
        ProviderNames.Stripe, ProviderNames.Gmail, ProviderNames.HubSpot, ProviderNames.Zendesk,
        ProviderNames.Slack, ProviderNames.Twilio, ProviderNames.Webhook,
    ];

    /// <summary>Finds the provider that executes a built-in action type (e.g. <c>refund.create</c> → <c>stripe</c>).</summary>
    /// <returns>False for custom action types.</returns>
    public static bool TryGetProvider(string actionType, out string provider)
    {
        provider = ByType.TryGetValue(actionType, out var definition) ? definition.Provider : "";
        return provider.Length > 0;
    }

    /// <summary>
    /// Checks a payload against the action's schema and returns every offending field (path like
    /// <c>payload.amount</c>, lowercase message). Empty means valid; a custom action type has no schema
    /// and is always valid here.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(string actionType, JsonElement payload) =>
        ByType.TryGetValue(actionType, out var definition) ? definition.Parse(payload).Errors : [];

    /// <summary>The built-in action types of a provider; empty for an unknown provider.</summary>
    public static IReadOnlyList<string> ActionsOf(string provider) =>
        Definitions.Where(d => d.Provider == provider).Select(d => d.ActionType).ToArray();

    internal static bool TryGetDefinition(string actionType, out ActionDefinition definition) =>
        ByType.TryGetValue(actionType, out definition!);
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
}

/// <summary>One built-in action: its provider and a parser that validates and types its payload.</summary>
internal sealed record ActionDefinition(string ActionType, string Provider, Func<JsonElement, ParsedPayload> Parse);

/// <summary>A typed payload model (null when invalid) and every validation error.</summary>
internal sealed record ParsedPayload(object? Model, IReadOnlyList<FieldError> Errors)
{
    public static ParsedPayload From<T>(Validation.PayloadValidator validator, Func<T> build) where T : class =>
        validator.Errors.Count == 0 ? new ParsedPayload(build(), []) : new ParsedPayload(null, validator.Errors);
}
