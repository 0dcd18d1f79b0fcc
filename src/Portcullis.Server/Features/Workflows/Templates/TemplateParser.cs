namespace Portcullis.Server.Features.Workflows.Templates;

/// <summary>
/// Parses the <c>{{ variable }}</c> syntax of workflow step inputs. Deliberately tiny: a template can only name a
/// variable, never call, loop or compute, so rendering a step's input cannot run code (see docs/workflows.md on why no
/// Liquid/Handlebars engine). Reports every problem with its line and column and never throws.
/// </summary>
public static class TemplateParser
{
    public const string Malformed = "template_malformed";

    public static TemplateText Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var diagnostics = new List<TemplateDiagnostic>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            var stray = text.IndexOf("}}", i, StringComparison.Ordinal);
            if (stray >= 0 && (open < 0 || stray < open))
            {
                Report(diagnostics, text, stray, "`}}` closes no `{{`");
                open = open < 0 ? -1 : open;
            }

            if (open < 0)
            {
                literal.Append(text, i, text.Length - i);
                break;
            }

            literal.Append(text, i, open - i);
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                Report(diagnostics, text, open, "`{{` is never closed with `}}`");
                break;
            }

            if (literal.Length > 0)
            {
                parts.Add(new LiteralPart(literal.ToString()));
                literal.Clear();
            }

            if (ParseReference(text, open, close, diagnostics) is { } reference)
            {
                parts.Add(reference);
            }

            i = close + 2;
        }

        if (literal.Length > 0)
        {
            parts.Add(new LiteralPart(literal.ToString()));
        }

        return new TemplateText(parts, diagnostics);
    }

    private static ReferencePart? ParseReference(string text, int open, int close, List<TemplateDiagnostic> diagnostics)
    {
        var start = open + 2;
        while (start < close && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = close;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            Report(diagnostics, text, open, "`{{ }}` names no variable");
            return null;
        }

        var steps = ParsePath(text, start, end, out var badAt);
        if (steps is null)
        {
            Report(diagnostics, text, badAt, $"`{text[start..end]}` is not a variable path such as `steps.lookup.output.id`: templates name variables, nothing else");
            return null;
        }

        var (line, column) = Position(text, start);
        return new ReferencePart(text[start..end], steps, line, column);
    }

    /// <summary><c>name(.name | [digits])*</c>; names are letters, digits, <c>_</c> and <c>-</c>. Null, with the offending offset, otherwise.</summary>
    private static List<PathStep>? ParsePath(string text, int start, int end, out int badAt)
    {
        var steps = new List<PathStep>();
        var i = start;
        badAt = start;
        var expectName = true;
        while (i < end)
        {
            if (expectName)
            {
                var nameStart = i;
                while (i < end && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                if (i == nameStart)
                {
                    badAt = i;
                    return null;
                }

                steps.Add(new PathStep(text[nameStart..i], -1));
                expectName = false;
            }
            else if (text[i] == '.')
            {
                i++;
                expectName = true;
            }
            else if (text[i] == '[' && ParseIndex(text, i + 1, end) is var (index, next) && next > 0)
            {
                steps.Add(new PathStep(null, index));
                i = next;
            }
            else
            {
                badAt = i;
                return null;
            }
        }

        badAt = end;
        return expectName ? null : steps;
    }

    private static (int Index, int Next) ParseIndex(string text, int i, int end)
    {
        var digitsStart = i;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > digitsStart && i < end && text[i] == ']' && i - digitsStart <= 6 ? (int.Parse(text.AsSpan(digitsStart, i - digitsStart), System.Globalization.CultureInfo.InvariantCulture), i + 1) : (0, -1);
    }

    private static void Report(List<TemplateDiagnostic> diagnostics, string text, int offset, string message)
    {
        var (line, column) = Position(text, offset);
        diagnostics.Add(new TemplateDiagnostic(Malformed, message, line, column));
    }

    public static (int Line, int Column) Position(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
