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
    public static ConditionParseResult Parse(string text) => Parse(text, new PathTable());

    internal static ConditionParseResult Parse(string? text, PathTable paths)
    {
        text ??= "";
        var source = new SourceText(text);
        var diagnostics = new DiagnosticBag(source);
        if (text.Length > MaxLength)
        {
            diagnostics.Add(DiagnosticCodes.ConditionTooLong, $"condition is {text.Length} characters long; the limit is {MaxLength}", 0, 0);
            return new ConditionParseResult(diagnostics.Items, null);
        }

        var tokens = Lexer.Tokenize(source, diagnostics);
        var tree = Parser.Parse(source, tokens, diagnostics);
        if (tree is null || diagnostics.Count > 0)
        {
            return new ConditionParseResult(diagnostics.InSourceOrder(), null);
        }

        var compiler = new Compiler(paths);
        var root = compiler.Compile(tree);
        var (actionTypes, residualTree) = ActionTypeIndex.Split(tree);
        var residual = residualTree is null ? ConstCondNode.True : compiler.Compile(residualTree);
        var condition = new CompiledCondition(text, root, residual, actionTypes, paths, compiler.VelocityNodes.Count > 0);
        return new ConditionParseResult([], condition);
    }
}
