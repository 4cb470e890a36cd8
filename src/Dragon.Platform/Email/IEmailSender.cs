namespace Dragon.Platform.Email;

/// <summary>Sends the platform's e-mails: over SMTP when <c>Email:Smtp:Host</c> is set, otherwise into a drop folder.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
