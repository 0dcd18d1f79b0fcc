using Microsoft.AspNetCore.Authorization;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Audit;

/// <summary>The audit log (the API's <c>GET /api/audit</c>, admins and owners) with "verify chain" (<c>GET /api/audit/verify</c>).</summary>
[Authorize(Policy = DashboardPolicies.Admin)]
public sealed class IndexModel(AuditQueries audit, WorkspaceQueries workspaces, AuditVerifier verifier) : DashboardPage
{
    public AuditApi.AuditPage? Entries { get; private set; }

    public AuditVerifier.WorkspaceReport? Verification { get; private set; }

    public long VerifyMs { get; private set; }

    public IReadOnlyDictionary<string, string> Emails { get; private set; } = new Dictionary<string, string>();

    public string? Action { get; private set; }
    public string? Actor { get; private set; }
    public string? TargetType { get; private set; }
    public string? TargetId { get; private set; }
    public string? Before { get; private set; }

    public string ActorName(string type, string id) => type switch
    {
        "user" => Emails.TryGetValue(id, out var email) ? email : $"user {id}",
        "system" => "Portcullis (system)",
        _ => $"{type} {id}",
    };

    /// <summary>The log filtered to one action or one target, from a cell of the table.</summary>
    public static string FilterUrl(string? action = null, string? targetType = null, string? targetId = null) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/audit",
            new Dictionary<string, string?> { ["action"] = action, ["targetType"] = targetType, ["targetId"] = targetId }.Where(q => q.Value is not null)!);

    public async Task OnGetAsync(string? action, string? actor, string? targetType, string? targetId, string? before, bool verify)
    {
        (Action, Actor, TargetType, TargetId, Before) = (Blank(action), Blank(actor), Blank(targetType), Blank(targetId), Blank(before));
        var members = await workspaces.ListMembersAsync(Member.WorkspaceId, Aborted);
        Emails = members.ToDictionary(m => m.UserId, m => m.Email, StringComparer.Ordinal);
        // The actor filter takes an email for convenience; the log stores ids.
        var actorId = Actor is not null && members.FirstOrDefault(m => string.Equals(m.Email, Actor, StringComparison.OrdinalIgnoreCase)) is { } m ? m.UserId : Actor;
        switch (await audit.ListAsync(Member.WorkspaceId, new AuditListQuery(Action, null, actorId, TargetType, TargetId, "50", Before), Aborted))
        {
            case AuditListResult.Found found:
                Entries = found.Page;
                break;
            case AuditListResult.Invalid invalid:
                Fail(FormProblem.Invalid(invalid.Errors));
                break;
        }

        if (verify)
        {
            var report = await verifier.VerifyAsync(Member.WorkspaceId, Aborted);
            Verification = report.Workspaces.FirstOrDefault();
            VerifyMs = report.ElapsedMs;
        }
    }

    public string PageUrl(long? before) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/audit",
        new Dictionary<string, string?> { ["action"] = Action, ["actor"] = Actor, ["targetType"] = TargetType, ["targetId"] = TargetId, ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Where(q => q.Value is not null)!);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
