using System.Security.Claims;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Features.Identity;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/account/register", RegisterAsync)
            .WithTags("Accounts").WithName("Register")
            .WithSummary("Registers a Patient account, confirmed by a link e-mailed to the address; the same answer whether the address had an account (anyone; rate-limited).")
            .AllowAnyone().RequireRateLimiting(IdentitySetup.AuthRateLimit).DisableAntiforgery();
        app.MapPost("/api/v1/account/confirm", ConfirmAsync)
            .WithTags("Accounts").WithName("ConfirmEmail").WithSummary("Confirms a registered address with the user id and token of its e-mailed link (anyone; rate-limited).")
            .AllowAnyone().RequireRateLimiting(IdentitySetup.AuthRateLimit).DisableAntiforgery();

        var users = app.MapGroup("/api/v1/users").WithTags("Accounts");
        users.MapGet("/me", MeAsync).WithName("GetMe").WithSummary("The signed-in user's account and roles.")
            .RequirePermission(Permissions.UsersSelf);
        users.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Creates an account with its roles (Admin).")
            .RequirePermission(Permissions.UsersManage);
        users.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Lists accounts (Admin).")
            .RequirePermission(Permissions.UsersManage);

        app.MapPost("/api/v1/me/erasure", EraseAsync).WithTags("Accounts").WithName("EraseMyAccount")
            .WithSummary("A patient erases their account with their password (GDPR art. 17): consents withdrawn, links, e-mail and name gone.")
            .RequirePermission(Permissions.ConsentsSelf)
            .RequireRateLimiting(IdentitySetup.AuthRateLimit);
        return app;
    }

    public static async Task<Results<Accepted<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, PatientRegistration registration, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var registered = await registration.RegisterAsync(request, EmailSetup.PortalAddress(configuration), cancellationToken);
        return registered.Succeeded ? TypedResults.Accepted((string?)null, registered.Value) : DomainProblems.ToProblem(registered.Error);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ConfirmAsync(
        ConfirmEmailRequest request, PatientRegistration registration, CancellationToken cancellationToken)
    {
        var confirmed = await registration.ConfirmAsync(request.UserId ?? Guid.Empty, request.Token, cancellationToken);
        return confirmed.Succeeded ? TypedResults.NoContent() : DomainProblems.ToProblem(confirmed.Error);
    }

    public static async Task<Results<Ok<AccountErasureResponse>, ProblemHttpResult>> EraseAsync(
        AccountErasureRequest request, AccountErasure erasure, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await erasure.EraseAsync(user.Id(), request, cancellationToken));

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> MeAsync(
        ClaimsPrincipal user, UserAccounts accounts, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await accounts.GetAsync(user.Id(), cancellationToken));

    public static async Task<Results<Created<UserResponse>, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, UserAccounts accounts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var created = await accounts.CreateAsync(request, user.Id(), cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/users/{created.Value.Id}", created.Value)
            : DomainProblems.ToProblem(created.Error);
    }

    public static Task<Results<Ok<Paged<UserResponse>>, ProblemHttpResult>> ListAsync(
        UserAccounts accounts, CancellationToken cancellationToken, int? page = null, int? pageSize = null) =>
        ListQuery.PagedAsync(page, pageSize, paging => accounts.ListAsync(paging, cancellationToken));
}
