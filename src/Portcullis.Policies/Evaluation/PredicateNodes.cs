using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>Shared operand handling: a missing operand makes any predicate false (even next to an error).</summary>
internal abstract class BinaryNode(ValueNode left, ValueNode right) : CondNode
{
    public sealed override Tri Eval(EvalFrame f)
    {
        var a = left.Get(f);
        if (a.Kind == ValueKind.Missing)
        {
            return Tri.False;
        }

        var b = right.Get(f);
        if (b.Kind == ValueKind.Missing)
        {
            return Tri.False;
        }

        if (a.Kind == ValueKind.Error || b.Kind == ValueKind.Error)
        {
            return Tri.Error;
        }

        return Test(a, b) ? Tri.True : Tri.False;
    }

    protected abstract bool Test(in Value a, in Value b);
}

internal sealed class CompareNode(ValueNode left, CompareOp op, ValueNode right) : BinaryNode(left, right)
{
    protected override bool Test(in Value a, in Value b) => op switch
    {
        CompareOp.Equal => Semantics.AreEqual(a, b),
        CompareOp.NotEqual => !Semantics.AreEqual(a, b),
        CompareOp.Less => Semantics.TryCompare(a, b, out var o) && o < 0,
        CompareOp.LessOrEqual => Semantics.TryCompare(a, b, out var o) && o <= 0,
        CompareOp.Greater => Semantics.TryCompare(a, b, out var o) && o > 0,
        _ => Semantics.TryCompare(a, b, out var o) && o >= 0,
    };
}

internal sealed class TextNode(ValueNode left, TextOp op, ValueNode right) : BinaryNode(left, right)
{
    protected override bool Test(in Value a, in Value b) =>
        op == TextOp.Contains ? Semantics.Contains(a, b) : Semantics.TextOp(a, b, op);
}

/// <summary><c>IN (…)</c> and <c>NOT IN (…)</c>; a missing operand is false for both.</summary>
internal sealed class InNode(ValueNode left, Value[] items, bool negated) : CondNode
{
    public override Tri Eval(EvalFrame f)
    {
        var a = left.Get(f);
        if (a.Kind is ValueKind.Missing or ValueKind.Error)
        {
            return a.Kind == ValueKind.Missing ? Tri.False : Tri.Error;
        }

        var found = false;
        foreach (var item in items)
        {
            if (Semantics.AreEqual(a, item))
            {
                found = true;
                break;
            }
        }

        return found != negated ? Tri.True : Tri.False;
    }
}

internal sealed class ExistsNode(ValueNode field, bool negated) : CondNode
{
    public override Tri Eval(EvalFrame f) => (field.Get(f).Kind != ValueKind.Missing) != negated ? Tri.True : Tri.False;
}

/// <summary><c>MATCHES</c>: strings only; the regex has a time-out and a time-out is an evaluation error.</summary>
internal sealed class MatchesNode(ValueNode left, Regex regex, string subject) : CondNode
{
    private const int StackLimit = 512;

    public override Tri Eval(EvalFrame f)
    {
        var a = left.Get(f);
        if (a.Kind != ValueKind.String)
        {
            return a.Kind == ValueKind.Error ? Tri.Error : Tri.False;
        }

        try
        {
            return IsMatch(a) ? Tri.True : Tri.False;
        }
        catch (RegexMatchTimeoutException)
        {
            var ms = (int)regex.MatchTimeout.TotalMilliseconds;
            return f.Fail(DiagnosticCodes.RegexTimeout, $"`{subject} MATCHES \"{regex}\"` ran longer than {ms} ms");
        }
    }

    private bool IsMatch(in Value a)
    {
        if (a.ClrString is { } s)
        {
            return regex.IsMatch(s);
        }

        // Decode short unescaped JSON strings on the stack instead of allocating a string.
        if (a.TryGetRawUtf8(out var utf8) && utf8.Length <= StackLimit)
        {
            Span<char> buffer = stackalloc char[StackLimit];
            var count = Encoding.UTF8.GetChars(utf8, buffer);
            return regex.IsMatch(buffer[..count]);
        }

        return regex.IsMatch(a.AsString());
    }
}
