namespace Portcullis.Policies.Evaluation;

/// <summary>
/// A compiled condition. Results are three-valued: an evaluation error (regex time-out, missing
/// velocity value) is <see cref="Tri.Error"/>, combined with Kleene's rules — <c>false AND error</c>
/// is false, <c>true OR error</c> is true, otherwise an error stays an error. The outcome therefore
/// never depends on operand order, and a known part can still decide a policy.
/// </summary>
internal abstract class CondNode
{
    public abstract Tri Eval(EvalFrame f);
}

internal sealed class ConstCondNode(Tri value) : CondNode
{
    public static readonly ConstCondNode True = new(Tri.True);

    public override Tri Eval(EvalFrame f) => value;
}

internal sealed class AndNode(CondNode[] items) : CondNode
{
    public CondNode[] Items => items;

    public override Tri Eval(EvalFrame f) => All(items, f);

    /// <summary>Kleene AND over <paramref name="conjuncts"/>; true when there are none.</summary>
    public static Tri All(CondNode[] conjuncts, EvalFrame f)
    {
        var result = Tri.True;
        foreach (var item in conjuncts)
        {
            var t = item.Eval(f);
            if (t == Tri.False)
            {
                return Tri.False;
            }

            if (t == Tri.Error)
            {
                result = Tri.Error;
            }
        }

        return result;
    }
}

internal sealed class OrNode(CondNode[] items) : CondNode
{
    public override Tri Eval(EvalFrame f)
    {
        var result = Tri.False;
        foreach (var item in items)
        {
            var t = item.Eval(f);
            if (t == Tri.True)
            {
                return Tri.True;
            }

            if (t == Tri.Error)
            {
                result = Tri.Error;
            }
        }

        return result;
    }
}

internal sealed class NotNode(CondNode operand) : CondNode
{
    public override Tri Eval(EvalFrame f) => operand.Eval(f) switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Error,
    };
}
