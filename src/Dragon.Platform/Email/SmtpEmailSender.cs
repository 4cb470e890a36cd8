using System.Net;
using System.Net.Mail;
using System.Text;

namespace Dragon.Platform.Email;

/// <summary>Sends through the configured SMTP relay, one connection per message.</summary>
public sealed class SmtpEmailSender(SmtpOptions smtp, string from) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (smtp.UserName.Length > 0)
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }
        using var mail = new MailMessage(from, message.To, message.Subject, message.Body) { BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8 };
        await client.SendMailAsync(mail, cancellationToken);
    }
}
