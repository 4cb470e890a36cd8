namespace Dragon.Platform.Identity;

/// <summary>The OAuth clients the platform itself ships.</summary>
public static class FirstPartyClients
{
    /// <summary>Public client for the researcher's <c>dragon</c> command (authorization code with PKCE to a loopback address), and for scripts and tests (the password grant, switchable off).</summary>
    public const string Cli = "dragon-cli";

    /// <summary>Public client for the web portal: authorization code with PKCE and explicit consent.</summary>
    public const string Portal = "dragon-portal";

    /// <summary>Public client for the API explorer's Authorize button (<c>/swagger</c>): authorization code with PKCE and explicit consent.</summary>
    public const string ApiExplorer = "dragon-api-explorer";

    /// <summary>Where the API explorer receives its authorization codes, on the same host as the portal.</summary>
    public const string ApiExplorerRedirectPath = "/swagger/oauth2-redirect.html";
}
