using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dragon.Researcher;

/// <summary>
/// Signs a person in from the command line as the web portal does, through the platform's own login page in their
/// browser: OAuth 2.0 authorization code with PKCE (RFC 7636) for the public client <c>dragon-cli</c>, the code received on
/// a loopback address (RFC 8252) that the platform has registered for that client. Nothing is typed into the terminal.
/// </summary>
public sealed class BrowserSignIn(HttpClient platform, Action<Uri> openBrowser)
{
    public const string ClientId = "dragon-cli";

    /// <summary>The loopback port the platform registers by default (<c>Identity:CliRedirectUris</c>).</summary>
    public const int DefaultPort = 53682;

    public static Uri RedirectUri(int port) => new($"http://127.0.0.1:{port}/callback");

    public async Task<ResearcherSession> SignInAsync(int port, CancellationToken cancellationToken)
    {
        var redirect = RedirectUri(port);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        openBrowser(new Uri(platform.BaseAddress!, "connect/authorize?" + string.Join('&',
            $"client_id={ClientId}", "response_type=code", "scope=openid%20profile%20email%20roles%20offline_access",
            $"redirect_uri={Uri.EscapeDataString(redirect.ToString())}", $"code_challenge={challenge}", "code_challenge_method=S256", $"state={state}")));
        var code = await ReceiveCodeAsync(listener, redirect, state, cancellationToken);
        return await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["code"] = code,
            ["redirect_uri"] = redirect.ToString(),
            ["code_verifier"] = verifier,
        }, cancellationToken);
    }

    /// <summary>A new access token for a session whose token ran out, from its refresh token.</summary>
    public Task<ResearcherSession> RefreshAsync(ResearcherSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.RefreshToken is { } refresh
            ? TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refresh }, cancellationToken)
            : throw new ResearcherException("The session has expired: run 'dragon login' again.");
    }

    private static async Task<string> ReceiveCodeAsync(HttpListener listener, Uri redirect, string state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var context = await listener.GetContextAsync().WaitAsync(cancellationToken);
            var query = context.Request.QueryString;
            if (context.Request.Url?.AbsolutePath != redirect.AbsolutePath)
            {
                await AnswerAsync(context, HttpStatusCode.NotFound, "Not here.");
                continue;
            }
            if (query["state"] != state)
            {
                await AnswerAsync(context, HttpStatusCode.BadRequest, "This sign-in was not started by this dragon login.");
                continue;
            }
            if (query["error"] is { } error || query["code"] is not { Length: > 0 } code)
            {
                await AnswerAsync(context, HttpStatusCode.BadRequest, "Sign-in failed; see the terminal.");
                throw new ResearcherException($"The platform refused the sign-in: {query["error"] ?? "no code"} {query["error_description"]}".TrimEnd());
            }
            await AnswerAsync(context, HttpStatusCode.OK, "You are signed in to Dragon Platform. You can close this tab and return to the terminal.");
            return code;
        }
    }

    private static async Task AnswerAsync(HttpListenerContext context, HttpStatusCode status, string message)
    {
        var body = Encoding.UTF8.GetBytes($"<!doctype html><title>Dragon Platform</title><p>{WebUtility.HtmlEncode(message)}</p>");
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private async Task<ResearcherSession> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await platform.PostAsync("connect/token", new FormUrlEncodedContent(form), cancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = answer.RootElement;
        if (!response.IsSuccessStatusCode || !root.TryGetProperty("access_token", out var access))
        {
            var reason = root.TryGetProperty("error_description", out var description) ? description.GetString() : root.TryGetProperty("error", out var error) ? error.GetString() : null;
            throw new ResearcherException($"The platform gave no token ({(int)response.StatusCode}): {reason}");
        }
        var expiresIn = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 3600;
        return new ResearcherSession(platform.BaseAddress!, access.GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null, DateTimeOffset.UtcNow.AddSeconds(expiresIn));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
