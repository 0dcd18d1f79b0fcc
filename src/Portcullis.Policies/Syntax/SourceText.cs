using System.Text;

namespace Portcullis.Policies.Syntax;

/// <summary>Condition text plus the line table that turns offsets into 1-based line/column and excerpts.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Text { get; }

    public int Length => Text.Length;

    public char this[int index] => (uint)index < (uint)Text.Length ? Text[index] : '\0';

    public Diagnostic Diagnostic(string code, string message, int start, int length)
    {
        start = Math.Clamp(start, 0, Text.Length);
        var line = LineIndexOf(start);
        var lineStart = _lineStarts[line];
        var lineText = LineText(line);

        // The caret stays on the line where the span starts; a span running past it is clipped.
        var column = start - lineStart;
        var caretLength = Math.Max(1, Math.Min(length, lineText.Length - column));
        return new Diagnostic(code, message, line + 1, column + 1, Math.Max(1, length), Excerpt(lineText, column, caretLength));
    }

    private static string Excerpt(string lineText, int column, int caretLength)
    {
        var sb = new StringBuilder(lineText.Length * 2 + 2);
        sb.Append(lineText).Append('\n');

        // Tabs are copied so the carets line up however wide the reader's tabs are.
        for (var i = 0; i < column; i++)
        {
            sb.Append(lineText[i] == '\t' ? '\t' : ' ');
        }

        return sb.Append('^', caretLength).ToString();
    }

    private int LineIndexOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    private string LineText(int line)
    {
        var start = _lineStarts[line];
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] - 1 : Text.Length;
        if (end > start && Text[end - 1] == '\r')
        {
            end--;
        }

        return Text[start..end];
    }
}
