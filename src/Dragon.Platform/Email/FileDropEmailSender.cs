using System.Globalization;
using System.Text;
using Dragon.Platform.Common;

namespace Dragon.Platform.Email;

/// <summary>
/// Writes each e-mail as an RFC 5322 .eml file (owner-only: they carry confirmation links) into a folder: for
/// development and tests, or until an SMTP relay is configured.
/// </summary>
public sealed class FileDropEmailSender(string folder, string from, TimeProvider time) : IEmailSender
{
    public string Folder { get; } = folder;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        var path = Path.Combine(Folder, $"{now:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.eml");
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"From: {from}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: {message.To}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {message.Subject}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {now.ToString("r", CultureInfo.InvariantCulture)}\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
            .Append(message.Body.ReplaceLineEndings("\r\n"))
            .ToString();
        await using var file = OwnerOnlyFile.CreateNew(path);
        await file.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
