namespace Portcullis.Policies.Syntax;

/// <summary>Collects diagnostics for one condition, capped so hostile input cannot produce unbounded output.</summary>
internal sealed class DiagnosticBag(SourceText source)
{
    public const int MaxDiagnostics = 50;

    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

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
