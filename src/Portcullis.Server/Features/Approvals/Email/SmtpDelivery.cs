using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>Hands one message to the operator's SMTP relay (MailKit): connect with the configured security, authenticate, send.</summary>
public sealed class SmtpDelivery(IOptions<EmailOptions> options)
{
    /// <summary>Null when the relay accepted the message; otherwise why it did not (a retry may succeed).</summary>
    public async Task<string?> SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(o.Smtp.Host!, o.Smtp.Port, SocketOptions(o.Smtp.Security), timeout.Token);
            if (!string.IsNullOrEmpty(o.Smtp.Username))
            {
                await client.AuthenticateAsync(o.Smtp.Username, o.Smtp.Password ?? "", timeout.Token);
            }

            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is CommandException or ProtocolException or AuthenticationException or SslHandshakeException
                                       or SocketException or IOException or TimeoutException or ServiceNotConnectedException or NotSupportedException
                                       || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // The relay's own words (status and text) help the operator; they never carry the password.
            return ex is OperationCanceledException ? $"the SMTP relay did not answer within {o.TimeoutSeconds} s" : ex.Message;
        }
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
