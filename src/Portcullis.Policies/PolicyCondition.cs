using Portcullis.Policies.Evaluation;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies;

/// <summary>Entry point of the condition language: text → tokens → syntax tree → compiled condition.</summary>
public static class PolicyCondition
{
    /// <summary>Longest condition accepted, in characters.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>
    /// Parses and compiles a condition. Reports every problem it can find (it recovers after each)
    /// and never throws, whatever the input.
    /// </summary>
    public static ConditionParseResult Parse(string text) => Parse(text, ConditionScope.Action);

    /// <summary>Parses and compiles a condition over the variables of <paramref name="scope"/>; never throws.</summary>
    public static ConditionParseResult Parse(string text, ConditionScope scope)
    {
        var (tree, diagnostics) = ParseTree(text, scope);
        if (tree is null)
        {
            return new ConditionParseResult(diagnostics, null);
        }

        var slots = new SlotTable();
        var compiler = new Compiler(slots);
        var root = compiler.Compile(tree);
        var (actionTypes, _) = ActionTypeIndex.Split(tree);
        return new ConditionParseResult([], new CompiledCondition(text, root, actionTypes, slots, compiler.VelocityNodes.Count > 0,
            FieldUsage.Collect(tree)));
    }

    /// <summary>Text → syntax tree; the tree is null when there are diagnostics.</summary>
    internal static (Expr? Tree, IReadOnlyList<Diagnostic> Diagnostics) ParseTree(string? text, ConditionScope scope = ConditionScope.Action)
    {
        text ??= "";
        var source = new SourceText(text);
        var diagnostics = new DiagnosticBag(source);
        if (text.Length > MaxLength)
        {
            diagnostics.Add(DiagnosticCodes.ConditionTooLong, $"condition is {text.Length} characters long; the limit is {MaxLength}", 0, 0);
            return (null, diagnostics.Items);
        }

        var tokens = Lexer.Tokenize(source, diagnostics);
        var tree = Parser.Parse(source, tokens, diagnostics, scope);
        return tree is null || diagnostics.Count > 0 ? (null, diagnostics.InSourceOrder()) : (tree, []);
    }
}
