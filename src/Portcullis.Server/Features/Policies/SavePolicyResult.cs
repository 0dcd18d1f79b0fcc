using Portcullis.Policies;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies;

/// <summary>What creating (<see cref="CreatePolicy"/>) or updating (<see cref="UpdatePolicy"/>) a policy came to.</summary>
public abstract record SavePolicyResult
{
    private SavePolicyResult()
    {
    }

    /// <summary>The policy as stored: version 1 when created, the next version when updated.</summary>
    public sealed record Saved(PolicyDto Policy) : SavePolicyResult;

    public sealed record Invalid(FieldErrors Errors) : SavePolicyResult;

    /// <summary>The condition does not parse: every diagnostic, with line, column and excerpt.</summary>
    public sealed record InvalidCondition(IReadOnlyList<Diagnostic> Diagnostics) : SavePolicyResult;

    /// <summary>Only from an update: no such policy in the actor's workspace.</summary>
    public sealed record NotFound(string PolicyId) : SavePolicyResult;

    /// <summary>The rules of the input, then its condition: the refusal both use cases give before touching the store.</summary>
    internal static SavePolicyResult? Check(PolicyInput given, FieldErrors? unread, bool create, out PolicyInput valid)
    {
        var errors = unread ?? new FieldErrors();
        valid = given.Validate(errors, create);
        if (errors.Any)
        {
            return new Invalid(errors);
        }

        return valid.ConditionDiagnostics() is { } diagnostics ? new InvalidCondition(diagnostics) : null;
    }

    internal static Invalid UnknownAgents(IReadOnlyList<string> unknown) =>
        new(new FieldErrors().Add("agentIds", $"not agents of this workspace: {string.Join(", ", unknown.Select(u => $"`{u}`"))}"));
}
