using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// A leaf test. Identical predicates are shared between policies (see <see cref="SlotTable.SharedPredicate"/>)
/// and each computes its answer at most once per evaluation, remembered in the frame.
/// </summary>
internal abstract class PredicateNode(int cacheSlot) : CondNode
{
    public sealed override Tri Eval(EvalFrame f)
    {
        ref var cached = ref f.Predicates[cacheSlot];
        if (cached >> 2 == f.Generation)
        {
            var result = (Tri)(cached & 3);
            return result == Tri.Error ? OnCachedError(f) : result;
        }

        var computed = Compute(f);
        cached = (f.Generation << 2) | (int)computed;
        return computed;
    }

    protected abstract Tri Compute(EvalFrame f);

    /// <summary>
    /// A remembered error must be reported again for every policy that meets it. Recomputing is cheap
    /// when the error came from a (cached) velocity value; <see cref="MatchesNode"/> overrides this.
    /// </summary>
    protected virtual Tri OnCachedError(EvalFrame f) => Compute(f);
}

/// <summary>Shared operand handling: a missing operand makes any predicate false (even next to an error).</summary>
internal abstract class BinaryNode(int cacheSlot, ValueNode left, ValueNode? right, Value? constant) : PredicateNode(cacheSlot)
{
    // A literal right operand lives here, saving a call and a pointer chase per evaluation.
    private readonly Value _constant = constant ?? default;
    private readonly bool _rightIsConstant = constant.HasValue;

    protected sealed override Tri Compute(EvalFrame f)
    {
        ref readonly var a = ref left.Get(f);
        if (a.Kind == ValueKind.Missing)
        {
            return Tri.False;
        }

        ref readonly var b = ref _rightIsConstant ? ref _constant : ref right!.Get(f);
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

internal sealed class CompareNode(int cacheSlot, ValueNode left, CompareOp op, ValueNode? right, Value? constant) : BinaryNode(cacheSlot, left, right, constant)
{
    protected override bool Test(in Value a, in Value b)
    {
        // The common case, two decimals, without the general rules' detours.
        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number && a.HasDecimal && b.HasDecimal)
        {
            return Holds(decimal.Compare(a.Decimal, b.Decimal));
        }

        return op switch
        {
            CompareOp.Equal => Semantics.AreEqual(a, b),
            CompareOp.NotEqual => !Semantics.AreEqual(a, b),
            _ => Semantics.TryCompare(a, b, out var order) && Holds(order),
        };
    }

    private bool Holds(int order) => op switch
    {
        CompareOp.Equal => order == 0,
        CompareOp.NotEqual => order != 0,
        CompareOp.Less => order < 0,
        CompareOp.LessOrEqual => order <= 0,
        CompareOp.Greater => order > 0,
        _ => order >= 0,
    };
}

internal sealed class TextNode(int cacheSlot, ValueNode left, TextOp op, ValueNode? right, Value? constant) : BinaryNode(cacheSlot, left, right, constant)
{
    protected override bool Test(in Value a, in Value b) =>
        op == TextOp.Contains ? Semantics.Contains(a, b) : Semantics.TextOp(a, b, op);
}

/// <summary><c>IN (…)</c> and <c>NOT IN (…)</c>; a missing operand is false for both.</summary>
internal sealed class InNode(int cacheSlot, ValueNode left, Value[] items, bool negated) : PredicateNode(cacheSlot)
{
    // When every item is a string with a UTF-8 form, an unescaped JSON string can be matched by
    // bytes: string against string is plain equality, with no numeric coercion to consider.
    private readonly byte[][]? _utf8Items = items.All(i => i.Kind == ValueKind.String && i.Utf8 is not null)
        ? [.. items.Select(i => i.Utf8!)]
        : null;

    protected override Tri Compute(EvalFrame f)
    {
        ref readonly var a = ref left.Get(f);
        if (a.Kind is ValueKind.Missing or ValueKind.Error)
        {
            return a.Kind == ValueKind.Missing ? Tri.False : Tri.Error;
        }

        return Contains(a) != negated ? Tri.True : Tri.False;
    }

    private bool Contains(in Value a)
    {
        if (_utf8Items is not null && a.TryGetRawUtf8(out var raw))
        {
            foreach (var item in _utf8Items)
            {
                if (raw.SequenceEqual(item))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var item in items)
        {
            if (Semantics.AreEqual(a, item))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class ExistsNode(int cacheSlot, ValueNode field, bool negated) : PredicateNode(cacheSlot)
{
    protected override Tri Compute(EvalFrame f) => (field.Get(f).Kind != ValueKind.Missing) != negated ? Tri.True : Tri.False;
}

/// <summary><c>MATCHES</c>: strings only; the regex has a time-out and a time-out is an evaluation error.</summary>
internal sealed class MatchesNode(int cacheSlot, ValueNode left, Regex regex, string subject) : PredicateNode(cacheSlot)
{
    private const int StackLimit = 512;

    private readonly string _timeoutMessage = $"`{subject} MATCHES \"{regex}\"` ran longer than {(int)regex.MatchTimeout.TotalMilliseconds} ms";

    /// <summary>Never re-run a regex that timed out in this evaluation; report the same failure.</summary>
    protected override Tri OnCachedError(EvalFrame f) => f.Fail(DiagnosticCodes.RegexTimeout, _timeoutMessage);

    protected override Tri Compute(EvalFrame f)
    {
        ref readonly var a = ref left.Get(f);
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
            return f.Fail(DiagnosticCodes.RegexTimeout, _timeoutMessage);
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
