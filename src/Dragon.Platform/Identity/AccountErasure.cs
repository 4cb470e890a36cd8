using System.Globalization;
using Dragon.Contracts.Identity;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Consent;
using Dragon.Platform.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Dragon.Platform.Identity;

/// <summary>
/// A patient erases their account (GDPR art. 17), in one transaction: every consent of every linked subject is
/// withdrawn and its pseudonym queued for removal (<see cref="SubjectErasure"/>), the links are dropped, the account
/// keeps only its id (no e-mail, name or password; locked, without roles, sessions or tokens), and the person's audit
/// key is destroyed, so the e-mail in past audit events can no longer be read. The events themselves stay.
/// </summary>
public sealed class AccountErasure(
    UserManager<DragonUser> users, DragonDbContext db, SubjectErasure subjects, PersonErasure personErasure, AuditTrail audit)
{
    public async Task<Result<AccountErasureResponse>> EraseAsync(Guid userId, AccountErasureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return new DomainError(ErrorKind.NotFound, "user.not_found", $"User {userId} does not exist.");
        }
        if ((await users.GetRolesAsync(user)).Any(role => role != DragonRoles.Patient))
        {
            return new DomainError(ErrorKind.Forbidden, "account.erasure_staff",
                "An account with staff roles holds responsibilities others rely on; an Admin closes it.");
        }
        if (!await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            return DomainError.Invalid(new Dictionary<string, string[]> { ["password"] = ["The password is not correct."] });
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var links = await db.PatientLinks.AsNoTracking().Where(l => l.UserId == userId).ToListAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        var hospitals = new HashSet<Guid>();
        var withdrawn = 0;
        foreach (var link in links)
        {
            var queued = await subjects.QueueAsync(link.NodeId, link.SubjectRef, AuditActor.User(userId), cancellationToken);
            entries.AddRange(queued.Entries);
            withdrawn += queued.Withdrawn;
            if (queued.Pending)
            {
                hospitals.Add(link.NodeId);
            }
        }
        await db.PatientLinks.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await ForgetAsync(user, cancellationToken);
        entries.Add(new AuditEntry(AuditActor.User(userId), AuditAction.Account_Erased, "Account", userId.ToString(),
            new Dictionary<string, string?>
            {
                ["links"] = links.Count.ToString(CultureInfo.InvariantCulture),
                ["consentsWithdrawn"] = withdrawn.ToString(CultureInfo.InvariantCulture),
            },
            LegalBasis: "GDPR art. 17: right to erasure"));
        await audit.SaveChangesAsync(entries, cancellationToken);
        await personErasure.EraseAsync(userId, AuditActor.User(userId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AccountErasureResponse(withdrawn, hospitals.Count);
    }

    /// <summary>Keeps the row (events and consent versions name its id) and nothing that identifies or lets anyone sign in as it.</summary>
    private async Task ForgetAsync(DragonUser user, CancellationToken cancellationToken)
    {
        var id = user.Id;
        user.UserName = $"erased-{id:N}";
        user.NormalizedUserName = user.UserName.ToUpperInvariant();
        user.Email = null;
        user.NormalizedEmail = null;
        user.EmailConfirmed = false;
        user.DisplayName = "";
        user.PasswordHash = null;
        user.PhoneNumber = null;
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.UserRoles.Where(r => r.UserId == id).ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.Where(c => c.UserId == id).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == id).ExecuteDeleteAsync(cancellationToken);
        await db.UserTokens.Where(t => t.UserId == id).ExecuteDeleteAsync(cancellationToken);
        // Tokens are checked against their stored entries, so deleting them ends every session and refresh token now.
        var subject = id.ToString();
        await db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == subject).ExecuteDeleteAsync(cancellationToken);
        await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Where(a => a.Subject == subject).ExecuteDeleteAsync(cancellationToken);
    }
}
