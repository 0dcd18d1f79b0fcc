namespace Portcullis.Server.Features.Workflows.Templates;

/// <summary>One part of a template string: literal text, or a <c>{{ variable }}</c> reference.</summary>
public abstract record TemplatePart;

public sealed record LiteralPart(string Text) : TemplatePart;

/// <summary>
/// A variable reference such as <c>steps.lookup.output.items[0].id</c>: its root and path steps (a name, or an array index),
/// with where it was written (1-based line and column within the string) for diagnostics.
/// </summary>
public sealed record ReferencePart(string Path, IReadOnlyList<PathStep> Steps, int Line, int Column) : TemplatePart;

public readonly record struct PathStep(string? Name, int Index)
{
    public bool IsIndex => Name is null;

    public override string ToString() => IsIndex ? $"[{Index}]" : Name!;
}

/// <summary>A template problem found while parsing: code, message and position within the string value.</summary>
public sealed record TemplateDiagnostic(string Code, string Message, int Line, int Column);

/// <summary>
/// A parsed string value. <see cref="IsSingleReference"/>: the value is exactly one <c>{{ … }}</c> (spaces aside), so it
/// keeps the JSON type of what it resolves to instead of becoming a string.
/// </summary>
public sealed record TemplateText(IReadOnlyList<TemplatePart> Parts, IReadOnlyList<TemplateDiagnostic> Diagnostics)
{
    public bool HasReferences => Parts.Any(p => p is ReferencePart);

    public bool IsSingleReference => Parts.Count == 1 && Parts[0] is ReferencePart;

    public IEnumerable<ReferencePart> References => Parts.OfType<ReferencePart>();
}
