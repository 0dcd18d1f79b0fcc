namespace Portcullis.Server.Features.Subscriptions;

/// <summary>A subscription as the API shows it. The URL's query (where a receiver token may sit) is masked.</summary>
public sealed record EventSubscriptionDto(
    string Id, string Url, IReadOnlyList<string> Types, string? Description, string CreatedAt, string UpdatedAt);

public sealed record EventSubscriptionList(IReadOnlyList<EventSubscriptionDto> Items, IReadOnlyList<string> EventTypes);

public sealed record EventAttemptDto(int Attempt, string AttemptedAt, long DurationMs, int? StatusCode, string? Error);

public sealed record EventDeliveryDto(
    string Id, string EventId, string Type, string? Subject, string Status, int Attempts, string? NextAttemptAt, int? LastStatus,
    string? LastError, string? DeliveredAt, string CreatedAt, IReadOnlyList<EventAttemptDto> History);

public sealed record EventDeliveryList(IReadOnlyList<EventDeliveryDto> Items);
