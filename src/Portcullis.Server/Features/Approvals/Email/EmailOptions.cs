namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>How the SMTP connection is secured: none, upgraded with STARTTLS, or TLS from the first byte (port 465).</summary>
public enum SmtpSecurity { None, StartTls, SslOnConnect }

/// <summary>Section <c>Portcullis:Email:Smtp</c>: the operator's mail relay for approval emails.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Both set, or neither: the relay then takes mail without authentication.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, as <c>address</c> or <c>Name &lt;address&gt;</c>.</summary>
    public string? From { get; set; }
}

/// <summary>
/// Section <c>Portcullis:Email</c>. Approval emails are sent only when the relay (<c>Smtp:Host</c>, <c>Smtp:From</c>) and a
/// public base URL for the links are configured; otherwise nothing is queued and nothing is sent.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Portcullis:Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where approvers reach this server (the links in the emails); unset, <c>Portcullis:OAuth:PublicBaseUrl</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Time-out of one SMTP attempt (connect, authenticate, send).</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host) && !string.IsNullOrWhiteSpace(Smtp.From) && !string.IsNullOrWhiteSpace(PublicBaseUrl);
}
