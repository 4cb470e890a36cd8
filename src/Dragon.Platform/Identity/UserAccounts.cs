using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Identity;

/// <summary>User accounts on ASP.NET Core Identity: patients' own sign-up and administrators' account management.</summary>
public sealed class UserAccounts(UserManager<DragonUser> users, DragonDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>The display names of the users among <paramref name="ids"/> that exist, in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return await users.Users.Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    public Task<Result<UserResponse>> RegisterPatientAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAsync(new CreateUserRequest(request.Email, request.Password, request.DisplayName, [DragonRoles.Patient]), createdBy: null, cancellationToken);
    }

    /// <summary>Creates the account, its roles and its audit event in one transaction.</summary>
    /// <param name="createdBy">The Admin who creates it, or null when a patient registers themselves.</param>
    public async Task<Result<UserResponse>> CreateAsync(CreateUserRequest request, Guid? createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var email = Text.Required(request.Email, "email", 3, 254, errors);
        var displayName = Text.Required(request.DisplayName, "displayName", 1, 100, errors);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "password is required.");
        }
        var roles = request.Roles ?? [];
        if (roles.Count == 0)
        {
            errors.Add("roles", $"roles must list at least one of {string.Join(", ", DragonRoles.UserRoles)}.");
        }
        foreach (var role in roles.Where(role => !DragonRoles.IsUserRole(role)))
        {
            errors.Add("roles", $"'{role}' is not a role; use {string.Join(", ", DragonRoles.UserRoles)}.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }

        var user = new DragonUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            DisplayName = displayName,
            CreatedAt = Clock.UtcNow(time),
            // An Admin vouches for the address; a patient who registers confirms it by the link e-mailed to it.
            EmailConfirmed = createdBy is not null,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            return DomainError.Invalid(ToFieldErrors(created));
        }
        var added = await users.AddToRolesAsync(user, roles.Distinct());
        if (!added.Succeeded)
        {
            throw new InvalidOperationException($"identity.roles_failed: {string.Join(", ", added.Errors.Select(e => e.Code))}");
        }
        await audit.SaveChangesAsync(new AuditEntry(
            createdBy is { } admin ? AuditActor.User(admin) : AuditActor.User(user.Id),
            createdBy is null ? AuditAction.Account_Registered : AuditAction.Account_Created,
            "Account", user.Id.ToString(),
            new Dictionary<string, string?> { ["roles"] = string.Join(",", roles.Distinct().Order()) },
            Purpose: "account management", LegalBasis: "GDPR art. 6(1)(b): providing the account",
            PersonRef: user.Id, PersonalData: email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserResponse(user.Id, email, displayName, [.. roles.Distinct().Order()]);
    }

    public async Task<Result<UserResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await users.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return new DomainError(ErrorKind.NotFound, "user.not_found", $"User {id} does not exist.");
        }
        return await ToResponseAsync(user);
    }

    public async Task<Paged<UserResponse>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var total = await users.Users.CountAsync(cancellationToken);
        var list = await users.Users.AsNoTracking().OrderBy(u => u.Email).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        var items = new List<UserResponse>(list.Count);
        foreach (var user in list)
        {
            items.Add(await ToResponseAsync(user));
        }
        return new Paged<UserResponse>(items, page.Page, page.PageSize, total);
    }

    /// <summary>Records a sign-in attempt; for an unknown account, nothing personal is recorded.</summary>
    public Task RecordSignInAsync(DragonUser? user, bool succeeded, string channel, CancellationToken cancellationToken) =>
        audit.SaveChangesAsync(new AuditEntry(
            succeeded && user is not null ? AuditActor.User(user.Id) : AuditActor.Anonymous,
            succeeded ? AuditAction.Account_SignedIn : AuditAction.Account_SignInFailed,
            "Account", user?.Id.ToString() ?? "-",
            new Dictionary<string, string?> { ["channel"] = channel }), cancellationToken);

    private async Task<UserResponse> ToResponseAsync(DragonUser user) =>
        new(user.Id, user.Email ?? "", user.DisplayName, [.. (await users.GetRolesAsync(user)).Order()]);

    private static Dictionary<string, string[]> ToFieldErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(error => error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "email")
            .ToDictionary(group => group.Key, group => group.Select(error => error.Description).ToArray());
}
