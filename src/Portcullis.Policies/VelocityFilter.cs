namespace Portcullis.Policies;

/// <summary>A field of an <em>earlier</em> action request that a velocity filter (<c>WHERE …</c>) tests.</summary>
public enum EarlierField
{
    /// <summary><c>action_type</c>.</summary>
    ActionType,

    /// <summary><c>provider</c>.</summary>
    Provider,

    /// <summary><c>resource_type</c>.</summary>
    ResourceType,

    /// <summary><c>resource_id</c>.</summary>
    ResourceId,

    /// <summary><c>decision</c>: <c>allow</c>, <c>alert</c>, <c>require_approval</c> or <c>block</c>.</summary>
    Decision,

    /// <summary><c>status</c>: where the request is now, e.g. <c>executed</c>, <c>failed</c>, <c>pending_approval</c>, <c>blocked</c>.</summary>
    Status,

    /// <summary><c>payload.&lt;path&gt;</c>.</summary>
    Payload,
}

/// <summary>
/// The value a filter compares with, already resolved for the current request: exactly one of
/// <see cref="Text"/>, <see cref="Number"/> and <see cref="Boolean"/>, or none when the current request has no
/// such value (then the filter matches no earlier request, as every comparison on a missing field is false).
/// </summary>
public sealed record FilterValue(string? Text = null, decimal? Number = null, bool? Boolean = null)
{
    /// <summary>The current request has no value to compare with.</summary>
    public static FilterValue Missing { get; } = new();

    /// <summary>True when there is nothing to compare with.</summary>
    public bool IsMissing => Text is null && Number is null && Boolean is null;

    /// <summary>The value as condition text: a quoted string, a number, <c>true</c>/<c>false</c>, or <c>null</c> when missing.</summary>
    public override string ToString() =>
        Text is not null ? Syntax.VelocityText.Quote(Text)
        : Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Boolean is { } b ? (b ? "true" : "false")
        : "null";
}

/// <summary>
/// One test of a velocity term's <c>WHERE</c>: the earlier request's <see cref="Field"/> (at <see cref="PayloadPath"/>
/// for <see cref="EarlierField.Payload"/>, in the canonical form of <see cref="VelocityQuery.SumPath"/>) equals
/// <see cref="Value"/>, or for <see cref="Negated"/> is present and differs from it. Strings equal strings, numbers
/// equal numbers (numerically), booleans booleans; there is no conversion between them.
/// </summary>
public sealed record VelocityFilter(EarlierField Field, string? PayloadPath, bool Negated, FilterValue Value);
