namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// One problem with a workflow definition: a stable code, a message, the field path (<c>steps[1].input.amount</c>) and,
/// for a template or a <c>when</c> condition, the 1-based line and column within that string (0 otherwise).
/// </summary>
public sealed record WorkflowDiagnostic(string Code, string Message, string Field, int Line = 0, int Column = 0);

/// <summary>The diagnostic codes.</summary>
public static class WorkflowDiagnosticCodes
{
    public const string DuplicateStepId = "duplicate_step_id";
    public const string UnknownActionType = "unknown_action_type";
    public const string WrongProvider = "wrong_provider";
    public const string InvalidInput = "invalid_input";
    public const string TemplateMalformed = Templates.TemplateParser.Malformed;
    public const string UnknownVariable = "unknown_variable";
    public const string LaterStep = "later_step";
    public const string InvalidWhen = "invalid_when";
    public const string CredentialNotLinked = "credential_not_linked";
    public const string InvalidCron = "invalid_cron";
    public const string InvalidTimeZone = "invalid_time_zone";
}
