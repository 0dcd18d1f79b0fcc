namespace Portcullis.Policies;

/// <summary>The stable codes carried by <see cref="Diagnostic.Code"/> and <see cref="PolicyError.Code"/>.</summary>
public static class DiagnosticCodes
{
    /// <summary>A character that cannot start any token, e.g. <c>@</c>.</summary>
    public const string UnexpectedCharacter = "unexpected_character";

    /// <summary>An operator from another language, e.g. <c>==</c>, <c>&amp;&amp;</c>, <c>&lt;&gt;</c>.</summary>
    public const string UnknownOperator = "unknown_operator";

    /// <summary>A string literal without its closing quote on the same line.</summary>
    public const string UnterminatedString = "unterminated_string";

    /// <summary>A backslash escape that is not one of <c>\\ \" \' \n \r \t \b \f \/ \uXXXX</c>.</summary>
    public const string InvalidEscape = "invalid_escape";

    /// <summary>A malformed or out-of-range number.</summary>
    public const string InvalidNumber = "invalid_number";

    /// <summary>A malformed field path, e.g. <c>payload.items[x]</c> or a trailing dot.</summary>
    public const string InvalidPath = "invalid_path";

    /// <summary>A malformed, zero or too long velocity window.</summary>
    public const string InvalidDuration = "invalid_duration";

    /// <summary>The condition has no predicate at all.</summary>
    public const string EmptyCondition = "empty_condition";

    /// <summary>A token that does not fit the grammar where it appears.</summary>
    public const string UnexpectedToken = "unexpected_token";

    /// <summary>A value is followed by something that is not an operator.</summary>
    public const string ExpectedOperator = "expected_operator";

    /// <summary>An operator is not followed by a value.</summary>
    public const string ExpectedValue = "expected_value";

    /// <summary>A non-literal inside an <c>IN (…)</c> list.</summary>
    public const string ExpectedLiteral = "expected_literal";

    /// <summary>A bare word used as a field that is not a known field.</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>A <c>(</c> without its <c>)</c>.</summary>
    public const string UnclosedParenthesis = "unclosed_parenthesis";

    /// <summary>A <c>MATCHES</c> pattern that .NET cannot compile.</summary>
    public const string InvalidRegex = "invalid_regex";

    /// <summary>An operand whose type can never satisfy the operator, e.g. <c>STARTS WITH 5</c>.</summary>
    public const string InvalidOperand = "invalid_operand";

    /// <summary>A malformed <c>COUNT(…)</c> or <c>SUM(…)</c>.</summary>
    public const string InvalidVelocity = "invalid_velocity";

    /// <summary>Parentheses or <c>NOT</c> nested deeper than the parser allows.</summary>
    public const string NestingTooDeep = "nesting_too_deep";

    /// <summary>The condition text is longer than the parser accepts.</summary>
    public const string ConditionTooLong = "condition_too_long";

    /// <summary>Parsing stopped reporting after too many problems.</summary>
    public const string TooManyErrors = "too_many_errors";

    /// <summary>Two policies in one set share an id.</summary>
    public const string DuplicatePolicyId = "duplicate_policy_id";

    /// <summary>A policy definition field is invalid (empty id, unknown decision, approvals below 1, …).</summary>
    public const string InvalidPolicy = "invalid_policy";

    /// <summary>Evaluation: a <c>MATCHES</c> ran past its time-out.</summary>
    public const string RegexTimeout = "regex_timeout";

    /// <summary>Evaluation: a velocity value the condition needs was not supplied.</summary>
    public const string VelocityUnavailable = "velocity_unavailable";

    /// <summary>Evaluation: an unexpected internal failure (the policy fails closed).</summary>
    public const string EvaluationFailed = "evaluation_failed";
}
