using System.Globalization;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// Posted form fields as the values of a use case's typed command. Text that should be a number but is
/// not is refused here with the words the API uses for a JSON value of the wrong type.
/// </summary>
public static class FormFields
{
    /// <summary>Trimmed text; a blank optional field is "not given", a blank required one is given empty (and refused by the use case).</summary>
    public static string? Text(string? value, bool required = false)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? (required ? "" : null) : text;
    }

    /// <summary>A secret exactly as typed (spaces can matter); empty is "not given".</summary>
    public static string? Secret(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public static long? Integer(string field, string? value, FieldErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(field, "must be an integer");
        return null;
    }

    /// <summary>The non-blank values of a repeated field (checkboxes), trimmed.</summary>
    public static IReadOnlyList<string> List(IEnumerable<string>? values) =>
        (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList();
}
