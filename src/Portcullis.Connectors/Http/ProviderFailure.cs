namespace Portcullis.Connectors.Http;

/// <summary>What a connector understood from a provider's error answer.</summary>
internal sealed record ProviderFailure(string? Code, string Message, string? RequestId);
