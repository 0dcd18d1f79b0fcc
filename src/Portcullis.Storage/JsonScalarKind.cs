namespace Portcullis.Storage;

/// <summary>The kinds of JSON value <see cref="SqlDialect.JsonEquals"/> compares.</summary>
public enum JsonScalarKind
{
    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>A JSON number, compared numerically.</summary>
    Number,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}
