namespace Portcullis.Server.Infrastructure.Http;

/// <summary>Collects every offending field of a request so one 400 names them all.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public bool Any => _errors.Count > 0;

    /// <summary>Whether <paramref name="field"/> was already refused (say, by a transport that could not read its type).</summary>
    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>The sentence every transport shows above the field errors.</summary>
    public string Summary => Count == 1 ? "the request has 1 invalid field" : $"the request has {Count} invalid fields";

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
        return this;
    }

    /// <summary>Field errors a use case returned (e.g. a connector's payload schema), for a transport to report.</summary>
    public static FieldErrors From(IEnumerable<Portcullis.Connectors.FieldError> errors)
    {
        var all = new FieldErrors();
        foreach (var e in errors)
        {
            all.Add(e.Field, e.Message);
        }

        return all;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
