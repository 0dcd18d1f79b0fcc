using System.Globalization;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Runs;

/// <summary>A <see cref="RunListQuery"/> read into typed values; its errors name each field as <c>GET /api/runs</c> does.</summary>
internal sealed record RunListFilter(long? FromMs, long? ToMs, int Take, RunCursor? After)
{
    private const int DefaultTake = 50;

    private static readonly string[] Decisions = ["allow", "allow_with_alert", "require_approval", "block"];

    public static (RunListFilter Filter, FieldErrors Errors) Read(RunListQuery query)
    {
        var errors = new FieldErrors();
        var fromMs = ParseTime(query.From, "from", errors);
        var toMs = ParseTime(query.To, "to", errors);
        if (query.Status is not null && !RunStatus.All.Contains(query.Status))
        {
            errors.Add("status", $"must be one of {string.Join(", ", RunStatus.All.Select(s => $"`{s}`"))}");
        }

        if (query.Decision is not null && !Decisions.Contains(query.Decision))
        {
            errors.Add("decision", $"must be one of {string.Join(", ", Decisions.Select(d => $"`{d}`"))}");
        }

        var take = DefaultTake;
        if (query.Limit is not null && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            errors.Add("limit", "must be between 1 and 200");
        }

        var after = RunCursor.Decode(query.Cursor);
        if (query.Cursor is not null && after is null)
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        return (new RunListFilter(fromMs, toMs, take, after), errors);
    }

    private static long? ParseTime(string? text, string name, FieldErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUnixTimeMilliseconds();
        }

        errors.Add(name, "must be an ISO 8601 timestamp");
        return null;
    }
}
