namespace Portcullis.Policies.Syntax;

internal enum TokenKind
{
    EndOfInput,
    Word,
    Keyword,
    String,
    Number,
    Duration,
    LeftParen,
    RightParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>Reserved words: they can never be bare-word strings or field names.</summary>
internal enum Keyword
{
    None,
    And,
    Or,
    Not,
    In,
    Contains,
    Starts,
    Ends,
    With,
    Matches,
    Exists,
    True,
    False,
    Null,
}

/// <summary>One step of a path: a property name (<c>.sku</c>, <c>["odd-key"]</c>) or an array index (<c>[0]</c>).</summary>
internal readonly record struct PathSegment(string? Name, int Index)
{
    public bool IsIndex => Name is null;

    public static PathSegment Property(string name) => new(name, -1);

    public static PathSegment At(int index) => new(null, index);
}

internal sealed class Token
{
    public required TokenKind Kind { get; init; }

    public required int Start { get; init; }

    public required int Length { get; init; }

    /// <summary>The source slice.</summary>
    public required string Text { get; init; }

    public Keyword Keyword { get; init; }

    /// <summary>For <see cref="TokenKind.String"/>: the unescaped value.</summary>
    public string? StringValue { get; init; }

    /// <summary>For <see cref="TokenKind.Number"/>: the value, null when it does not fit a decimal.</summary>
    public decimal? DecimalValue { get; init; }

    public double DoubleValue { get; init; }

    public TimeSpan DurationValue { get; init; }

    /// <summary>For <see cref="TokenKind.Word"/>: the first identifier, e.g. <c>payload</c> in <c>payload.items[0]</c>.</summary>
    public string Root { get; init; } = "";

    /// <summary>For <see cref="TokenKind.Word"/>: the segments after the root.</summary>
    public IReadOnlyList<PathSegment> Segments { get; init; } = [];

    /// <summary>For <see cref="TokenKind.Word"/>: true when a segment was written in brackets.</summary>
    public bool HasBrackets { get; init; }

    public bool Is(Keyword keyword) => Kind == TokenKind.Keyword && Keyword == keyword;

    /// <summary>A contextual word such as <c>COUNT</c> or <c>LAST</c>, compared case-insensitively.</summary>
    public bool IsWord(string word) =>
        Kind == TokenKind.Word && Segments.Count == 0 && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    /// <summary>How the token reads in a message: end of input, or the source text in backticks.</summary>
    public string Describe() => Kind == TokenKind.EndOfInput ? "end of condition" : $"`{Text}`";
}
