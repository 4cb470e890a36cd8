namespace Dragon.Platform.Email;

/// <summary>The <c>Email</c> configuration section.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The sender address of every e-mail.</summary>
    public string From { get; set; } = "dragon@localhost";

    /// <summary>Without an SMTP host, e-mails are written here as .eml files (relative paths under the content root).</summary>
    public string DropFolder { get; set; } = "data/mail";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Set to send over SMTP; empty means the drop folder.</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    /// <summary>STARTTLS (or TLS on connect, as the server offers); off only for a relay on loopback.</summary>
    public bool EnableSsl { get; set; } = true;
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
}
