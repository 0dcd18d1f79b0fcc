using System.Text.Json.Serialization;

namespace Portcullis.Client;

/// <summary>Why a connector failed; on the wire its fields are snake_case.</summary>
public sealed record ExecutionError
{
    /// <summary>
    /// A stable code: the provider's (e.g. <c>card_declined</c>) or the connector's
    /// (e.g. <c>connector_not_connected</c>); null when there is none.
    /// </summary>
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    /// <summary>What went wrong, with no secret in it.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>The provider's HTTP status, when the provider answered.</summary>
    [JsonPropertyName("provider_status")]
    public int? ProviderStatus { get; init; }

    /// <summary>The provider's request id, when it sent one; quote it to the provider's support.</summary>
    [JsonPropertyName("provider_request_id")]
    public string? ProviderRequestId { get; init; }
}
