using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Portcullis.Policies.Evaluation;

internal enum ValueKind : byte
{
    Missing,
    Error,
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A value seen by the evaluator, without allocating: JSON strings stay inside their document and
/// are compared as UTF-8 where possible; numbers are decoded once into a decimal (or a double when
/// they do not fit one).
/// </summary>
internal readonly struct Value
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly decimal _decimal;
    private readonly double _double;
    private readonly string? _string;
    private readonly byte[]? _utf8;
    private readonly JsonElement _json;

    private Value(ValueKind kind, decimal dec = 0, double dbl = 0, bool hasDecimal = false, string? str = null, byte[]? utf8 = null, JsonElement json = default, bool isJson = false)
    {
        Kind = kind;
        _decimal = dec;
        _double = dbl;
        HasDecimal = hasDecimal;
        _string = str;
        _utf8 = utf8;
        _json = json;
        IsJson = isJson;
    }

    public ValueKind Kind { get; }

    public bool HasDecimal { get; }

    public bool IsJson { get; }

    public decimal Decimal => _decimal;

    public double Double => HasDecimal ? (double)_decimal : _double;

    public JsonElement Json => _json;

    public static Value Missing => default;

    public static Value Error => new(ValueKind.Error);

    public static Value Null => new(ValueKind.Null);

    public static Value Of(bool b) => new(b ? ValueKind.True : ValueKind.False);

    public static Value Of(decimal d) => new(ValueKind.Number, dec: d, hasDecimal: true);

    public static Value Of(double d) => new(ValueKind.Number, dbl: d);

    public static Value Number(decimal? dec, double dbl) => dec is { } d ? Of(d) : Of(dbl);

    /// <summary>A string from the request (not JSON), e.g. <c>provider</c>.</summary>
    public static Value Text(string s) => new(ValueKind.String, str: s);

    /// <summary>A string literal; its UTF-8 form is kept for allocation-free JSON comparisons.</summary>
    public static Value Literal(string s)
    {
        byte[]? utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(s);
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate (written as \uD800) has no UTF-8 form; such literals use the char path.
            utf8 = null;
        }

        return new Value(ValueKind.String, str: s, utf8: utf8);
    }

    public static Value FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => new Value(ValueKind.String, json: e, isJson: true),
        JsonValueKind.Number => e.TryGetDecimal(out var d) ? Of(d) : e.TryGetDouble(out var x) ? Of(x) : Of(double.NaN),
        JsonValueKind.True => Of(true),
        JsonValueKind.False => Of(false),
        JsonValueKind.Null => Null,
        JsonValueKind.Object => new Value(ValueKind.Object, json: e, isJson: true),
        JsonValueKind.Array => new Value(ValueKind.Array, json: e, isJson: true),
        _ => Missing,
    };

    /// <summary>The string's value; allocates only for JSON strings.</summary>
    public string AsString() => _string ?? (IsJson ? JsonString(_json) : "");

    /// <summary>
    /// A JSON string's value. A string that is not valid Unicode (an escaped lone surrogate such as
    /// <c>\ud800</c>) cannot become a .NET string; it is then used in its escaped JSON form, so
    /// such data is still compared instead of failing the policy.
    /// </summary>
    private static string JsonString(JsonElement e)
    {
        try
        {
            return e.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = e.GetRawText();
            return raw[1..^1];
        }
    }

    /// <summary>The CLR string when this value has one (request fields and literals).</summary>
    public string? ClrString => _string;

    /// <summary>Literal UTF-8 bytes, or null.</summary>
    public byte[]? Utf8 => _utf8;

    /// <summary>
    /// For a JSON string without escapes: its UTF-8 content, sliced from the document without copying.
    /// False when the string has escapes (callers then fall back to <see cref="AsString"/>).
    /// </summary>
    public bool TryGetRawUtf8(out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        if (!IsJson || Kind != ValueKind.String)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8Value(_json);
        var content = raw[1..^1];
        if (content.IndexOf((byte)'\\') >= 0)
        {
            return false;
        }

        utf8 = content;
        return true;
    }
}
