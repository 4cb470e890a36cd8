using Dragon.Platform.Email;

namespace Dragon.Platform.Api.Infrastructure;

public static class EmailSetup
{
    /// <summary>SMTP when <c>Email:Smtp:Host</c> is set; otherwise .eml files in <c>Email:DropFolder</c>, with a warning outside Development.</summary>
    public static WebApplicationBuilder AddDragonEmail(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
        if (options.Smtp.Host.Length > 0)
        {
            builder.Services.AddSingleton<IEmailSender>(new SmtpEmailSender(options.Smtp, options.From));
            return builder;
        }
        var folder = Path.GetFullPath(options.DropFolder, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton<IEmailSender>(services => new FileDropEmailSender(folder, options.From, services.GetRequiredService<TimeProvider>()));
        return builder;
    }

    public static WebApplication WarnAboutDroppedEmail(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IEmailSender>() is FileDropEmailSender drop && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("No Email:Smtp:Host is configured: e-mails (registration links) are written to {Folder} instead of being sent.", drop.Folder);
        }
        return app;
    }

    /// <summary>The portal's public address, from <c>Identity:PortalRedirectUris</c>: links in e-mails point there, never at a request's Host header.</summary>
    public static Uri PortalAddress(IConfiguration configuration) =>
        new(new Uri(IdentitySetup.PortalRedirectUris(configuration)[0], UriKind.Absolute).GetLeftPart(UriPartial.Authority));
}
