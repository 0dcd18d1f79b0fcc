using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>A form whose antiforgery token is missing or stale gets a sentence instead of a bare 400.</summary>
public sealed class AntiforgeryFailurePage : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = MessagePage.Result(StatusCodes.Status400BadRequest, "Form expired",
                "This form could not be accepted because its security token is missing or out of date. Reload the page and try again.");
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
