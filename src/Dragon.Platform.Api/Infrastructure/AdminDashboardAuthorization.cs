using Dragon.Platform.Identity;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Lets only an Admin's browser session (the sign-in cookie, not a bearer token: browsers do not send
/// those) into the Hangfire dashboard.
/// </summary>
internal sealed class AdminDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var session = await context.GetHttpContext().AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded && session.Principal.IsInRole(DragonRoles.Admin);
    }
}
