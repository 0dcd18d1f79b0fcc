namespace Portcullis.Policies.Syntax;

internal sealed partial class Parser
{
    // The values storage records; a typo such as `decision = blocked` would otherwise silently never match.
    private static readonly string[] Decisions = ["allow", "allow_with_alert", "require_approval", "block"];
    private static readonly string[] Statuses = ["executing", "executed", "failed", "allowed", "pending_approval", "blocked", "rejected", "expired", "unknown"];

    private const string EarlierFields = "`action_type`, `provider`, `resource_type`, `resource_id`, `decision`, `status` or `payload.<path>`";

    /// <summary>
    /// <c>WHERE test [AND test …]</c> after the scope: each test is an earlier request's field, <c>=</c> or <c>!=</c>,
    /// and a literal or a field of the current request. Empty without <c>WHERE</c>; null after reporting.
    /// </summary>
    private IReadOnlyList<FilterTerm>? ParseVelocityFilters()
    {
        if (!Current.IsWord("WHERE"))
        {
            return [];
        }

        Advance();
        var filters = new List<FilterTerm>();
        while (true)
        {
            var filter = ParseVelocityFilter();
            if (filter is null)
            {
                return null;
            }

            filters.Add(filter);
            if (Current.Kind != TokenKind.Keyword || Current.Keyword != Keyword.And)
            {
                return filters;
            }

            Advance();
        }
    }

    private FilterTerm? ParseVelocityFilter()
    {
        var token = Current;
        if (!TryEarlierField(token, out var field, out var payload))
        {
            return FailAt($"`WHERE` tests a field of the earlier request: {EarlierFields}, found {token.Describe()}", token);
        }

        Advance();
        if (Current.Kind is not (TokenKind.Equal or TokenKind.NotEqual))
        {
            return FailAt($"a `WHERE` test compares with `=` or `!=`, found {Current.Describe()}", Current);
        }

        var op = Advance();
        var right = ParseOperand(isLeft: false, op);
        return right switch
        {
            null => null, // reported
            VelocityOperand => FailAt("a `WHERE` test compares with a value or a field of the current request, not with `COUNT(…)` or `SUM(…)`", right),
            LiteralOperand { Value.Kind: LiteralKind.Null } => FailAt("a `WHERE` test compares with a string, a number or a boolean; `null` is never equal to anything", right),
            LiteralOperand { Value.Kind: not LiteralKind.String } when field != EarlierField.Payload =>
                FailAt($"`{token.Text}` of an earlier request is text; quote the value, as in `'{Source(right)}'`", right),
            LiteralOperand { Value.String: { } text } when KnownValues(field) is { } known && !known.Contains(text) =>
                FailAt($"`{text}` is not a {token.Text.ToLowerInvariant()}; use one of {string.Join(", ", known.Select(k => $"`{k}`"))}", right),
            _ => new FilterTerm(field, payload, op.Kind == TokenKind.NotEqual, right),
        };
    }

    private static string[]? KnownValues(EarlierField field) => field switch
    {
        EarlierField.Decision => Decisions,
        EarlierField.Status => Statuses,
        _ => null,
    };

    /// <summary>The fields recorded with every action request; the agent, run and evidence are not.</summary>
    private static bool TryEarlierField(Token token, out EarlierField field, out FieldRef? payload)
    {
        payload = null;
        field = EarlierField.Payload;
        if (token.Kind != TokenKind.Word)
        {
            return false;
        }

        if (token.IsWord("decision") || token.IsWord("status"))
        {
            field = token.IsWord("decision") ? EarlierField.Decision : EarlierField.Status;
            return true;
        }

        if (!Fields.TryResolve(token, out var resolved))
        {
            return false;
        }

        (var ok, field) = resolved.Kind switch
        {
            FieldKind.ActionType => (true, EarlierField.ActionType),
            FieldKind.Provider => (true, EarlierField.Provider),
            FieldKind.ResourceType => (true, EarlierField.ResourceType),
            FieldKind.ResourceId => (true, EarlierField.ResourceId),
            FieldKind.Payload when resolved.Path.Count > 0 => (true, EarlierField.Payload),
            _ => (false, EarlierField.Payload),
        };
        payload = field == EarlierField.Payload ? resolved : null;
        return ok;
    }

    private string Source(Operand operand) => _source.Text.Substring(operand.Start, operand.Length);

    private FilterTerm? FailAt(string message, Operand operand)
    {
        Report(DiagnosticCodes.InvalidVelocity, message, operand.Start, operand.Length);
        return null;
    }

    private FilterTerm? FailAt(string message, Token token)
    {
        Report(DiagnosticCodes.InvalidVelocity, message, token);
        return null;
    }
}
