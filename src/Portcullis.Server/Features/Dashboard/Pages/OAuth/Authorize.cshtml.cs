using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Mcp;
using Portcullis.Server.Features.McpOAuth;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.OAuth;

/// <summary>
/// The consent page of the MCP authorization server (<c>/oauth/authorize</c>): a signed-in member sees which application
/// asks, picks the agent it will act as, and allows (<see cref="GrantMcpAccess"/>; admins only, as for API keys) or denies.
/// Either way the member goes back to the application's registered redirect URI with a code or <c>access_denied</c>.
/// </summary>
public sealed class AuthorizeModel(McpOAuthClients clients, AgentQueries agents, GrantMcpAccess grant, IOptions<McpOAuthOptions> options) : DashboardPage
{
    public static readonly string[] Parameters =
        ["response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "scope", "resource"];

    public AuthorizationRequest Authorization { get; private set; } = null!;

    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    /// <summary>The parameters as received, posted back by the form and checked again.</summary>
    public IReadOnlyDictionary<string, string> Posted { get; private set; } = new Dictionary<string, string>();

    public string RedirectOrigin => Origin(Authorization.RedirectUri);

    public int AccessMinutes => options.Value.AccessTokenMinutes;

    public async Task<IActionResult> OnGetAsync() => await CheckAsync(name => Request.Query[name].FirstOrDefault()) switch
    {
        AuthorizationRequest.Valid valid => await ShowAsync(valid.Request),
        var other => Answer(other),
    };

    // Any member may deny; allowing is checked by the use case (admins only) so the page can say why.
    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostAsync(string? decision, string? agentId)
    {
        var form = await Request.ReadFormAsync(Aborted);
        var checkedRequest = await CheckAsync(name => form[name].FirstOrDefault());
        if (checkedRequest is not AuthorizationRequest.Valid { Request: var request })
        {
            return Answer(checkedRequest);
        }

        var issuer = McpLinks.For(HttpContext).BaseUrl;
        if (decision != "allow")
        {
            return Redirect(AuthorizationRequest.Redirect(request.RedirectUri, issuer, request.State,
                ("error", OAuthError.AccessDenied), ("error_description", "the member denied access")));
        }

        switch (await grant.ExecuteAsync(new GrantMcpAccessCommand(Member, agentId ?? "", request), Aborted))
        {
            case GrantMcpAccessResult.Granted granted:
                return Redirect(AuthorizationRequest.Redirect(request.RedirectUri, issuer, request.State, ("code", granted.Code)));
            case GrantMcpAccessResult.AgentNotFound:
                Fail(FormProblem.Of("Pick one of this workspace's agents.", StatusCodes.Status404NotFound));
                return await ShowAsync(request);
            case GrantMcpAccessResult.NotAllowed:
                Fail(FormProblem.Of("Only admins and owners can connect an MCP client to an agent; ask one of them, or deny.", StatusCodes.Status403Forbidden));
                return await ShowAsync(request);
            default:
                throw new UnreachableException();
        }
    }

    private Task<AuthorizationRequest.Checked> CheckAsync(Func<string, string?> param)
    {
        Posted = Parameters.Select(p => (p, param(p))).Where(p => p.Item2 is not null).ToDictionary(p => p.p, p => p.Item2!);
        var links = McpLinks.For(HttpContext);
        return AuthorizationRequest.CheckAsync(param, clients, links.BaseUrl, links.Resource, Aborted);
    }

    private async Task<IActionResult> ShowAsync(AuthorizationRequest request)
    {
        Authorization = request;
        Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
        Response.Headers.ContentSecurityPolicy = SecurityHeaders.AllowingFormTarget(RedirectOrigin);
        return Page();
    }

    private IActionResult Answer(AuthorizationRequest.Checked result) => result switch
    {
        AuthorizationRequest.ErrorRedirect error => Redirect(error.Url),
        AuthorizationRequest.Refused refused => MessagePage.Result(StatusCodes.Status400BadRequest, "This application cannot connect", refused.Message),
        _ => throw new UnreachableException(),
    };

    // What form-action must allow and the page names: the origin of an http(s) URI, the scheme of a native app's.
    private static string Origin(string uri)
    {
        var parsed = new Uri(uri);
        return parsed.Scheme is "http" or "https" ? parsed.GetLeftPart(UriPartial.Authority) : parsed.Scheme + ":";
    }
}
