using System.Net;
using System.Text.RegularExpressions;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Dragon.Platform.Tests.Portal;

/// <summary>
/// A browser without scripts: keeps cookies, follows redirects, and signs in to the portal the way a person
/// does, through the platform's login and consent pages (authorization code with PKCE).
/// </summary>
public sealed partial class PortalSession
{
    private readonly CookieContainer _cookies = new();
    private readonly DragonApiFactory _factory;

    public PortalSession(DragonApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        Client = factory.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(_cookies));
    }

    public HttpClient Client { get; }

    /// <summary>The cookies this browser would send to <paramref name="path"/>.</summary>
    public string CookieHeader(string path) => _cookies.GetCookieHeader(new Uri(_factory.Server.BaseAddress, path));

    public static async Task<PortalSession> SignInAsync(DragonApiFactory factory, string email, string password)
    {
        var session = new PortalSession(factory);
        var login = await session.Client.GetAsync("/portal/signin");
        Assert.Equal("/account/login", login.RequestMessage!.RequestUri!.AbsolutePath);
        var afterLogin = await session.SubmitAsync(login, "/account/login", new() { ["email"] = email, ["password"] = password });
        if (afterLogin.RequestMessage!.RequestUri!.AbsolutePath == "/connect/authorize")
        {
            afterLogin = await session.SubmitAsync(afterLogin, "/connect/authorize", new() { ["decision"] = "accept" });
        }
        Assert.True(afterLogin.StatusCode == HttpStatusCode.OK, $"Signing in ended with {(int)afterLogin.StatusCode} at {afterLogin.RequestMessage!.RequestUri}");
        Assert.Equal("/portal", afterLogin.RequestMessage!.RequestUri!.AbsolutePath);
        return session;
    }

    /// <summary>Submits the page's form: its hidden fields (the anti-forgery token among them) plus <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(HttpResponseMessage page, string action, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(fields);
        var form = HiddenFields(await page.Content.ReadAsStringAsync());
        foreach (var (name, value) in fields)
        {
            form.RemoveAll(pair => pair.Key == name);
            form.Add(KeyValuePair.Create(name, value));
        }
        return await Client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>Opens <paramref name="path"/> and submits its form to the same address.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string>? fields = null)
    {
        var page = await Client.GetAsync(path);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode}");
        return await SubmitAsync(page, path, fields ?? []);
    }

    /// <summary>The page's hidden fields, each name once: every form of a page carries the same anti-forgery token.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. InputTag().Matches(html)
            .Select(match => match.Value)
            .Where(tag => Attribute(tag, "type") == "hidden")
            .Select(tag => KeyValuePair.Create(Attribute(tag, "name") ?? "", Attribute(tag, "value") ?? ""))
            .DistinctBy(pair => pair.Key)];

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"""\s{name}="([^"]*)"  """.TrimEnd());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
