using System.Net;
using System.Net.Sockets;
using System.Text;
using Dragon.Platform.Email;

namespace Dragon.Platform.Tests.Identity;

/// <summary>The SMTP sender against a minimal SMTP server on loopback: the envelope and the message arrive as sent.</summary>
public sealed class SmtpEmailSenderTests
{
    [Fact]
    public async Task Message_ReachesTheRelay_WithItsSenderRecipientSubjectAndBody()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = ReceiveOneAsync(listener);
        var sender = new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = port, EnableSsl = false }, "dragon@example.org");

        await sender.SendAsync(new EmailMessage("patient@example.org", "Confirm your Dragon account", "Open https://dragon.example.org/portal/confirm-email?user=1&token=2"), default);
        var transcript = await received.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("MAIL FROM:<dragon@example.org>", transcript, StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<patient@example.org>", transcript, StringComparison.Ordinal);
        Assert.Contains("Subject: Confirm your Dragon account", transcript, StringComparison.Ordinal);
        Assert.Contains("Content-Transfer-Encoding: base64", transcript, StringComparison.Ordinal);
        Assert.Equal("Open https://dragon.example.org/portal/confirm-email?user=1&token=2", Body(transcript));
    }

    /// <summary>The base64 body between the blank line after the headers and the end of DATA.</summary>
    private static string Body(string transcript)
    {
        var lines = transcript.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.IndexOf("") + 1;
        var end = lines.IndexOf("QUIT");
        return Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(lines[start..end])));
    }

    /// <summary>Just enough of RFC 5321 for one message: greets, accepts every command, reads DATA to its end.</summary>
    private static async Task<string> ReceiveOneAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var transcript = new StringBuilder();
        await writer.WriteLineAsync("220 test relay");
        while (await reader.ReadLineAsync() is { } line)
        {
            transcript.AppendLine(line);
            if (line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase))
            {
                await writer.WriteLineAsync("354 go on");
                while (await reader.ReadLineAsync() is { } data && data != ".")
                {
                    transcript.AppendLine(data);
                }
                await writer.WriteLineAsync("250 queued");
            }
            else if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
            {
                await writer.WriteLineAsync("221 bye");
                break;
            }
            else
            {
                await writer.WriteLineAsync("250 ok");
            }
        }
        return transcript.ToString();
    }
}
