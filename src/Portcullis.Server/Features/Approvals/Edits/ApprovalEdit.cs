namespace Portcullis.Server.Features.Approvals.Edits;

/// <summary>
/// An approver's edited payload, checked (schema and policies) and ready to be recorded with the decision: its JSON as
/// sent, its arguments digest, and the policy-set revision that evaluated it.
/// </summary>
public sealed record ApprovalEdit(string PayloadJson, string Digest, long PolicyRevision);

/// <summary>What checking an edited payload came to.</summary>
public abstract record EditCheck
{
    private EditCheck()
    {
    }

    public sealed record Accepted(ApprovalEdit Edit) : EditCheck;

    public sealed record NotFound : EditCheck;

    /// <summary>No matching policy allowed edits when the approval was asked for.</summary>
    public sealed record NotAllowed : EditCheck;

    /// <summary>The payload fails the action's schema: one message per field.</summary>
    public sealed record Invalid(IReadOnlyList<Portcullis.Connectors.FieldError> Errors) : EditCheck;

    /// <summary>The policies, evaluated again over the edited payload, block it.</summary>
    public sealed record Blocked(string Reason, IReadOnlyList<string> Policies) : EditCheck;

    /// <summary>The approval is no longer pending, or its run has ended: there is nothing left to edit.</summary>
    public sealed record Closed(string Status) : EditCheck;
}
