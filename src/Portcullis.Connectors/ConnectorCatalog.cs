using Portcullis.Connectors.Gmail;
using Portcullis.Connectors.HubSpot;
using Portcullis.Connectors.Mqtt;
using Portcullis.Connectors.Slack;
using Portcullis.Connectors.Stripe;
using Portcullis.Connectors.Twilio;
using Portcullis.Connectors.Webhook;
using Portcullis.Connectors.Zendesk;

namespace Portcullis.Connectors;

/// <summary>The built-in providers. Adding one is its folder plus one line here.</summary>
public static class ConnectorCatalog
{
    /// <summary>Every provider, in display order.</summary>
    public static IReadOnlyList<ConnectorDescriptor> All { get; } =
    [
        StripeDescriptor.Descriptor,
        GmailDescriptor.Descriptor,
        HubSpotDescriptor.Descriptor,
        ZendeskDescriptor.Descriptor,
        SlackDescriptor.Descriptor,
        TwilioDescriptor.Descriptor,
        WebhookDescriptor.Descriptor,
        MqttDescriptor.Descriptor,
    ];

    /// <summary>The descriptor of a provider, or null.</summary>
    public static ConnectorDescriptor? Find(string provider) => All.FirstOrDefault(d => d.Provider == provider);
}
