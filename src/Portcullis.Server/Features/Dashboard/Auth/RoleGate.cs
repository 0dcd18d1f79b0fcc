using System.Reflection;
using Microsoft.AspNetCore.Mvc.Filters;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard.Auth;

/// <summary>Marks the one form that needs no sign-in (the sign-in form itself).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AnonymousFormAttribute : Attribute;

/// <summary>
/// Runs before every page handler. GET and HEAD only read; every other method must name its least role
/// with <see cref="RequiresRoleAttribute"/> and the member must hold it. Then it loads what the layout shows.
/// </summary>
public sealed class RoleGate(DashboardContext dashboard) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            var method = context.HandlerMethod?.MethodInfo;
            var anonymous = method?.GetCustomAttribute<AnonymousFormAttribute>() is not null;
            var required = method?.GetCustomAttribute<RequiresRoleAttribute>();
            if (!anonymous && (required is null || !signedIn))
            {
                context.Result = MessagePage.Result(StatusCodes.Status403Forbidden, "Not allowed", "This form cannot be submitted.");
                return;
            }

            if (required is not null && http.User.GetMember().Role < required.Role)
            {
                var role = http.User.GetMember().Role.ToWire();
                context.Result = MessagePage.Result(StatusCodes.Status403Forbidden, "Not allowed",
                    $"Your role ({role}) cannot do this; it needs the {required.Role.ToWire()} role or above.");
                return;
            }
        }

        if (signedIn)
        {
            await dashboard.LoadAsync(http.User.GetMember(), http.RequestAborted);
        }

        await next();
    }
}
