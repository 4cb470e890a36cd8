using Dragon.Platform.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcPermissions = OpenIddict.Abstractions.OpenIddictConstants.Permissions;

namespace Dragon.Platform.Identity;

/// <summary>What the platform needs in its identity store at every start; each step is idempotent.</summary>
public sealed class IdentitySeeder(
    RoleManager<IdentityRole<Guid>> roles,
    UserManager<DragonUser> users,
    IOpenIddictApplicationManager applications,
    TimeProvider time,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedAsync(IdentitySeedOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var role in DragonRoles.UserRoles)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.NewGuid() }), "create role");
            }
        }
        await UpsertClientAsync(CliClient(options.CliRedirectUris), cancellationToken);
        await UpsertClientAsync(BrowserClient(FirstPartyClients.Portal, "Dragon portal", options.PortalRedirectUris), cancellationToken);
        await UpsertClientAsync(BrowserClient(FirstPartyClients.ApiExplorer, "Dragon API explorer",
            options.PortalRedirectUris.Select(uri => new Uri(uri, FirstPartyClients.ApiExplorerRedirectPath)).Distinct()), cancellationToken);
        await BootstrapAdminAsync(options.AdminEmail, options.AdminPassword);
    }

    private async Task BootstrapAdminAsync(string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return;
        }
        if ((await users.GetUsersInRoleAsync(DragonRoles.Admin)).Count > 0)
        {
            return;
        }
        var admin = new DragonUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            DisplayName = "Administrator",
            CreatedAt = Clock.UtcNow(time),
            EmailConfirmed = true,
        };
        Check(await users.CreateAsync(admin, password), "create the bootstrap Admin (check Bootstrap:AdminPassword against the password rules)");
        Check(await users.AddToRoleAsync(admin, DragonRoles.Admin), "give the bootstrap Admin its role");
        logger.LogInformation("Created the bootstrap Admin {UserId}", admin.Id);
    }

    private async Task UpsertClientAsync(OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    /// <summary>
    /// The researcher's <c>dragon</c> command, signing its user in through the browser and receiving the code on a
    /// registered loopback address; and scripts and tests, with the password grant (switchable off).
    /// </summary>
    private static OpenIddictApplicationDescriptor CliClient(IEnumerable<Uri> redirectUris) =>
        CodeFlowClient(FirstPartyClients.Cli, "Dragon command line", redirectUris, OidcPermissions.GrantTypes.Password);

    /// <summary>A client people use from their browser, which can also end their session there.</summary>
    private static OpenIddictApplicationDescriptor BrowserClient(string clientId, string displayName, IEnumerable<Uri> redirectUris) =>
        CodeFlowClient(clientId, displayName, redirectUris, OidcPermissions.Endpoints.EndSession);

    /// <summary>A public client of the authorization code flow with PKCE, each user asked to consent once.</summary>
    private static OpenIddictApplicationDescriptor CodeFlowClient(string clientId, string displayName, IEnumerable<Uri> redirectUris, string extraPermission)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = displayName,
            Permissions =
            {
                OidcPermissions.Endpoints.Authorization,
                OidcPermissions.Endpoints.Token,
                OidcPermissions.GrantTypes.AuthorizationCode,
                OidcPermissions.GrantTypes.RefreshToken,
                OidcPermissions.ResponseTypes.Code,
                OidcPermissions.Scopes.Email,
                OidcPermissions.Scopes.Profile,
                OidcPermissions.Scopes.Roles,
                extraPermission,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }
        return descriptor;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"identity.seed_failed: could not {what}: {string.Join(", ", result.Errors.Select(e => e.Code))}");
        }
    }
}

/// <summary>From configuration: <c>Bootstrap:AdminEmail</c>, <c>Bootstrap:AdminPassword</c>, <c>Identity:PortalRedirectUris</c>, <c>Identity:CliRedirectUris</c>.</summary>
public sealed record IdentitySeedOptions(string? AdminEmail, string? AdminPassword, IReadOnlyList<Uri> PortalRedirectUris, IReadOnlyList<Uri> CliRedirectUris);
