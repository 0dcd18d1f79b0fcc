namespace Portcullis.Server.Infrastructure.Http;

/// <summary>The stable <c>code</c> member of every problem-details answer. Clients switch on these.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string RunEnded = "run_ended";
    public const string BillingLocked = "billing_locked";
    public const string RateLimited = "rate_limited";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InternalError = "internal_error";
    public const string UrlNotAllowed = "url_not_allowed";
    public const string ServiceUnavailable = "service_unavailable";
}
