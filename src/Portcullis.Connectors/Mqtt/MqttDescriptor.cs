namespace Portcullis.Connectors.Mqtt;

/// <summary>MQTT (IoT): publishes to a broker of yours (Mosquitto, EMQX, HiveMQ, AWS IoT, …) over MQTT 5.</summary>
internal static class MqttDescriptor
{
    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Mqtt,
        DisplayName = "MQTT broker",
        SetupGuide = """
            Enter the broker URL: `mqtts://broker.example.com:8883` for TLS (recommended) or `mqtt://host:1883`.
            Create a broker user for Portcullis that may publish only to the topics your agents need, and enter its
            username and password, or paste a client certificate with its private key (PEM) for brokers that
            authenticate by certificate. Paste your CA certificate (PEM) if the broker's certificate is not publicly trusted.
            Verify Connection connects and disconnects without publishing anything.
            """,
        CredentialFields =
        [
            new("brokerUrl", "Broker URL", Secret: false, Required: true, Hint: true) { Check = CredentialFormats.MqttBrokerUrl, GuardedHost = true },
            new("username", "Username (optional)", Secret: false, Required: false),
            new("password", "Password (optional)", Secret: true, Required: false),
            new("clientCertificate", "Client certificate and private key, PEM (optional)", Secret: true, Required: false) { Multiline = true },
            new("caCertificate", "CA certificate, PEM (optional)", Secret: false, Required: false) { Multiline = true },
        ],
        Actions = MqttActions.Actions,
        Connector = new MqttConnector(),
    };
}
