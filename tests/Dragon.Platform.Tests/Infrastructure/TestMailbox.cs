using System.Net;
using System.Text.RegularExpressions;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>The e-mails a test host wrote to its drop folder, as a patient would read them in their inbox.</summary>
public static partial class TestMailbox
{
    public static string Folder(DragonApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Path.Combine(factory.Folder.FullName, "mail");
    }

    /// <summary>Every e-mail to <paramref name="address"/>, oldest first.</summary>
    public static IReadOnlyList<string> To(DragonApiFactory factory, string address)
    {
        var folder = Folder(factory);
        return !Directory.Exists(folder) ? []
            : [.. Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllText)
                .Where(mail => mail.Contains($"\r\nTo: {address}\r\n", StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>The path and query of the confirmation link in the newest e-mail to <paramref name="address"/>.</summary>
    public static string ConfirmationLink(DragonApiFactory factory, string address)
    {
        var mails = To(factory, address);
        Assert.True(mails.Count > 0, $"No e-mail was sent to {address}.");
        var mail = mails[^1];
        var link = LinkPattern().Match(mail);
        Assert.True(link.Success, $"The e-mail to {address} holds no confirmation link:\n{mail}");
        return new Uri(link.Value).PathAndQuery;
    }

    /// <summary>Opens the confirmation link of the newest e-mail to <paramref name="address"/>, as its owner would.</summary>
    public static async Task ConfirmAsync(DragonApiFactory factory, string address)
    {
        using var response = await factory.CreateClient().GetAsync(ConfirmationLink(factory, address));
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && page.Contains("is confirmed", StringComparison.Ordinal), $"Confirming {address} answered {(int)response.StatusCode}: {page}");
    }

    [GeneratedRegex(@"https?://\S+/portal/confirm-email\?\S+")]
    private static partial Regex LinkPattern();
}
