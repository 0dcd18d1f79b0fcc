using System.Text.RegularExpressions;

namespace Portcullis.Server.Features.Approvals.Groups;

/// <summary>
/// What an approver group may be called. Policies, policy files, emails and the dashboard all show the name verbatim, so
/// it is a plain token: no spaces to trim or quote, nothing that reads differently in YAML, a URL or a subject line.
/// </summary>
public static partial class ApproverGroupNames
{
    public const int MaxLength = 64;

    public const string Rule = "must be 1 to 64 characters: letters, digits, `-`, `_` or `.`, starting with a letter or digit (for example `finance-leads`)";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
