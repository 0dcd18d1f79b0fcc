namespace Portcullis.Server.Infrastructure.Http;

/// <summary>
/// The rules of typed command fields, worded as <see cref="JsonFields"/> words them, so a use case
/// names a bad field the same way whichever transport built its command. A field a transport already
/// refused (wrong JSON type, text that is not a number) is left alone: one error per cause.
/// </summary>
public static class FieldRules
{
    /// <summary>Null means "not given"; empty text is given but empty.</summary>
    public static string? Text(this FieldErrors errors, string field, string? value, bool required = false, int maxLength = 256)
    {
        if (errors.Has(field))
        {
            return null;
        }

        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required");
            }

            return null;
        }

        if (required && value.Length == 0)
        {
            errors.Add(field, "must not be empty");
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
            return null;
        }

        return value;
    }

    public static string? OneOf(this FieldErrors errors, string field, string? value, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var text = errors.Text(field, value, required, 64);
        if (text is not null && !allowed.Contains(text))
        {
            errors.Add(field, $"must be one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}");
            return null;
        }

        return text;
    }

    public static long? Between(this FieldErrors errors, string field, long? value, long min, long max)
    {
        if (value is not { } number || errors.Has(field))
        {
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(field, max == long.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}");
            return null;
        }

        return number;
    }
}
