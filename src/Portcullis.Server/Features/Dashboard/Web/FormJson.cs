using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// Turns posted form fields into the JSON body the API's use cases read, so a form is validated by
/// exactly the code that validates an API call. Text that should be a number but is not stays text,
/// and the API's validation names it.
/// </summary>
public sealed class FormJson
{
    private readonly JsonObject _body = [];

    /// <summary>A text field; blank optional fields are left out, blank required ones are sent empty (and refused).</summary>
    public FormJson Text(string name, string? value, bool required = false)
    {
        var text = value?.Trim();
        if (!string.IsNullOrEmpty(text) || required)
        {
            _body[name] = text ?? "";
        }

        return this;
    }

    /// <summary>A secret field: sent exactly as typed (spaces can matter), left out when empty.</summary>
    public FormJson Secret(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _body[name] = value;
        }

        return this;
    }

    public FormJson Integer(string name, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return this;
        }

        _body[name] = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
        return this;
    }

    public FormJson Boolean(string name, bool value)
    {
        _body[name] = value;
        return this;
    }

    public FormJson List(string name, IEnumerable<string> values)
    {
        _body[name] = new JsonArray(values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => (JsonNode)JsonValue.Create(v.Trim())).ToArray());
        return this;
    }

    public FormJson Object(string name, FormJson inner)
    {
        _body[name] = inner._body.DeepClone();
        return this;
    }

    public JsonElement ToElement() => JsonSerializer.SerializeToElement(_body);
}
