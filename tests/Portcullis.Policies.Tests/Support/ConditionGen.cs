using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Portcullis.Policies.Tests.Support;

/// <summary>FsCheck generators for random, well-formed conditions and for arbitrary junk text.</summary>
internal static class ConditionGen
{
    /// <summary>The request every generated condition is evaluated against.</summary>
    public const string PayloadJson = """
        {"amount": 6000, "price": 12.5, "amountText": "6000", "currency": "usd", "flag": true,
         "nothing": null, "tags": ["vip", "eu", 7], "customer": {"tier": "gold"}, "items": [{"qty": 2}]}
        """;

    /// <summary>The caller-supplied context of that request; its <c>source</c> is <c>mcp</c>.</summary>
    public const string ContextJson = """{"ticket": {"priority": "urgent", "tags": ["vip", 7]}, "score": 0.75}""";

    private static readonly string[] PresentFields =
    [
        "payload.amount", "payload.price", "payload.amountText", "payload.currency", "payload.flag",
        "payload.nothing", "payload.tags", "payload.customer.tier", "payload.items[0].qty", "provider", "action_type",
        "source", "context.ticket.priority", "context.ticket.tags", "context.score",
    ];

    private static readonly string[] MissingFields = ["payload.missing", "payload.items[3].qty", "agent.name", "evidence.score", "context.missing"];

    private static readonly string[] Numbers = ["6000", "5999.5", "0", "-1", "12.5", "1e30", "'6000'"];

    private static readonly string[] Strings = ["usd", "'USD'", "gold", "'vip'", "stripe", "refund.create", "''", "'6000'", "mcp", "urgent"];

    private static readonly string[] Anything = [.. Numbers, .. Strings, "true", "false", "null"];

    private static readonly string[] Patterns = ["'^u'", "'d$'", "'(?i)GOLD'", "'[0-9]+'", "'.*'"];

    /// <summary>A condition built from predicates over fields the request has.</summary>
    public static Arbitrary<string> Present => Arb.From(Tree(Atom(PresentFields)));

    /// <summary>Also missing fields and a velocity term with no value (an evaluation error).</summary>
    public static Arbitrary<string> Mixed => Arb.From(Tree(Gen.Frequency(
        (6, Atom(PresentFields)),
        (2, Atom(MissingFields)),
        (1, Gen.Constant("COUNT(LAST 1h PER agent) > 1")))));

    /// <summary>Pairs of conditions, for laws over two operands.</summary>
    public static Arbitrary<(string A, string B)> MixedPairs => Arb.From(
        from a in Tree(Atom(PresentFields.Concat(MissingFields).ToArray()))
        from b in Mixed.Generator
        select (a, b));

    /// <summary>Strings made of language fragments and random characters: mostly invalid conditions.</summary>
    public static Arbitrary<string> Junk => Arb.From(
        Gen.Frequency(
                (6, Gen.Elements(Fragments)),
                (2, Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString())),
                (1, Gen.Choose(32, 126).Select(c => ((char)c).ToString())))
            .ListOf()
            .Select(parts => string.Concat(parts)));

    public static Config Config(ulong seed, int maxTest) => FsCheck.Config.QuickThrowOnFailure
        .WithMaxTest(maxTest)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

    private static readonly string[] Fragments =
    [
        "payload.", "payload.amount", "evidence.x", "context.", "context.ticket", "source", "mcp", "agent.id", "action_type", "provider", "refund.create", "[0]", "['k']", "[\"",
        " = ", " != ", " < ", " >= ", " IN (", " NOT IN (", " CONTAINS ", " STARTS WITH ", " ENDS", " MATCHES ", " EXISTS", " NOT ",
        " AND ", " OR ", "(", ")", ",", "'", "\"", "\\", "\\u12", "'abc'", "5000", "-1.5e3", "1e999", "24h", "0s",
        "COUNT(", "SUM(", "LAST ", "PER agent", "PER workspace", " SAME ACTION", "#", "--", "\n", "\t", "\r\n", "==", "&&", "!",
        "true", "null", "@", "é", "\ud83d", "\ud83d\ude00",
    ];

    private static Gen<string> Atom(string[] fields)
    {
        var field = Gen.Elements(fields);
        var compare =
            from f in field
            from op in Gen.Elements("=", "!=")
            from v in Gen.Elements(Anything)
            select $"{f} {op} {v}";
        var order =
            from f in field
            from op in Gen.Elements("<", "<=", ">", ">=")
            from v in Gen.Elements([.. Numbers, .. Strings])
            select $"{f} {op} {v}";
        var list =
            from f in field
            from negated in Gen.Elements(true, false)
            from items in Gen.Elements(Anything).NonEmptyListOf()
            select $"{f} {(negated ? "NOT IN" : "IN")} ({string.Join(", ", items.Take(4))})";
        var text =
            from f in field
            from op in Gen.Elements("STARTS WITH", "ENDS WITH", "CONTAINS")
            from v in Gen.Elements(Strings)
            select $"{f} {op} {v}";
        var matches = from f in field from p in Gen.Elements(Patterns) select $"{f} MATCHES {p}";
        var exists = from f in field from negated in Gen.Elements(true, false) select $"{f} {(negated ? "NOT EXISTS" : "EXISTS")}";
        return Gen.Frequency((4, compare), (3, order), (2, list), (2, text), (1, matches), (1, exists));
    }

    private static Gen<string> Tree(Gen<string> atom) => Gen.Sized(size => Node(atom, Math.Min(size, 12)));

    private static Gen<string> Node(Gen<string> atom, int size)
    {
        if (size <= 1)
        {
            return atom;
        }

        var child = Node(atom, size / 2);
        return Gen.Frequency(
            (3, atom),
            (1, child.Select(c => $"NOT ({c})")),
            (2, from a in child from b in child select $"({a}) AND ({b})"),
            (2, from a in child from b in child select $"({a}) OR ({b})"));
    }
}
