using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>Registrations and routes of approval emails: options, the outbox, the sending job, and the link pages.</summary>
public static class EmailServices
{
    public static IServiceCollection AddApprovalEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .PostConfigure<IOptions<OAuthAppOptions>>((o, oauth) => o.PublicBaseUrl ??= oauth.Value.PublicBaseUrl)
            .Validate(o => o.TimeoutSeconds > 0 && o.Smtp.Port is > 0 and <= 65535, "email time-out and SMTP port must be positive (port at most 65535)")
            .Validate(o => string.IsNullOrEmpty(o.Smtp.From) || MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _),
                "Portcullis:Email:Smtp:From must be an email address, such as `Portcullis <approvals@example.com>`")
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _),
                "Portcullis:Email:PublicBaseUrl must be an absolute URL, such as `https://portcullis.example.com`")
            .ValidateOnStart();
        services.AddSingleton<EmailOutbox>();
        services.AddSingleton<EmailLinks>();
        services.AddSingleton<SmtpDelivery>();
        services.AddSingleton<IJobHandler, EmailSender>();
        return services;
    }

    public static void MapApprovalEmail(this IEndpointRouteBuilder app) => EmailLinkEndpoints.Map(app);
}
