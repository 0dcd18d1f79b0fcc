namespace Portcullis.Policies.Syntax;

/// <summary>Collects diagnostics for one condition, capped so hostile input cannot produce unbounded output.</summary>
internal sealed class DiagnosticBag(SourceText source)
{
    public const int MaxDiagnostics = 50;

    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>
    /// Diagnostics in source order. The lexer reports before the parser runs, so raw order is not
    /// source order; the "stopped after" marker stays last.
    /// </summary>
    public IReadOnlyList<Diagnostic> InSourceOrder() =>
        [.. _items.OrderBy(d => d.Code == DiagnosticCodes.TooManyErrors).ThenBy(d => d.Line).ThenBy(d => d.Column)];

    public int Count => _items.Count;

    public bool IsFull => _items.Count > MaxDiagnostics;

    public void Add(string code, string message, int start, int length)
    {
        if (_items.Count < MaxDiagnostics)
        {
            _items.Add(source.Diagnostic(code, message, start, length));
        }
        else if (_items.Count == MaxDiagnostics)
        {
            _items.Add(source.Diagnostic(DiagnosticCodes.TooManyErrors, $"stopped after {MaxDiagnostics} problems", start, length));
        }
    }

    public void Add(string code, string message, Token token) => Add(code, message, token.Start, token.Length);
}
