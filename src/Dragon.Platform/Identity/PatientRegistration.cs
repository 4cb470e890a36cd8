using System.ComponentModel.DataAnnotations;
using Dragon.Contracts.Identity;
using Dragon.Platform.Common;
using Dragon.Platform.Email;
using Microsoft.AspNetCore.Identity;

namespace Dragon.Platform.Identity;

/// <summary>
/// Patients sign themselves up. The answer is the same whether the address has an account or not: the address's
/// owner learns which by e-mail. A new account is unusable until its address is confirmed by the link sent to it.
/// </summary>
public sealed class PatientRegistration(UserManager<DragonUser> users, UserAccounts accounts, IEmailSender email)
{
    public const string Accepted = "If this address can be registered, a confirmation link is on its way to it. Open it to finish.";

    /// <param name="portal">The portal's public address, from configuration (never from the request, whose Host header the caller controls).</param>
    public async Task<Result<RegisterResponse>> RegisterAsync(RegisterRequest request, Uri portal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(portal);
        var errors = await ValidateAsync(request);
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var address = request.Email!.Trim();
        if (await users.FindByEmailAsync(address) is { } existing)
        {
            UnknownAccount.SpendPasswordCheck(users.PasswordHasher, request.Password);
            await TellExistingAsync(existing, portal, cancellationToken);
            return new RegisterResponse(Accepted);
        }
        var created = await accounts.RegisterPatientAsync(request, cancellationToken);
        if (!created.Succeeded)
        {
            // Another registration of the same address won the race: answer as for any existing account.
            if (await users.FindByEmailAsync(address) is { } raced)
            {
                await TellExistingAsync(raced, portal, cancellationToken);
                return new RegisterResponse(Accepted);
            }
            return created.Error;
        }
        var user = await users.FindByIdAsync(created.Value.Id.ToString()) ?? throw new InvalidOperationException("identity.registered_account_missing");
        await SendConfirmationAsync(user, portal, firstTime: true, cancellationToken);
        return new RegisterResponse(Accepted);
    }

    /// <summary>Confirms the address the link was sent to; an unknown account and a wrong or stale token look alike.</summary>
    public async Task<Result<bool>> ConfirmAsync(Guid userId, string? token, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || string.IsNullOrEmpty(token) || !(await users.ConfirmEmailAsync(user, token)).Succeeded)
        {
            return DomainError.Invalid(new Dictionary<string, string[]>
            {
                ["token"] = ["This confirmation link is not valid or has expired; register again to get a new one."],
            });
        }
        return true;
    }

    /// <summary>Every rule that does not depend on whether the address has an account, so a refusal tells nothing about it.</summary>
    private async Task<FieldErrors> ValidateAsync(RegisterRequest request)
    {
        var errors = new FieldErrors();
        var address = Text.Required(request.Email, "email", 3, 254, errors);
        if (address.Length > 0 && !new EmailAddressAttribute().IsValid(address))
        {
            errors.Add("email", "email must be an e-mail address.");
        }
        Text.Required(request.DisplayName, "displayName", 1, 100, errors);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "password is required.");
        }
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                var checkedPassword = await validator.ValidateAsync(users, new DragonUser { UserName = address, Email = address }, request.Password);
                foreach (var error in checkedPassword.Errors)
                {
                    errors.Add("password", error.Description);
                }
            }
        }
        return errors;
    }

    private Task TellExistingAsync(DragonUser existing, Uri portal, CancellationToken cancellationToken) =>
        existing.EmailConfirmed
            ? email.SendAsync(new EmailMessage(existing.Email!, "Your Dragon account",
                $"""
                Someone tried to register a new Dragon account with this address, which already has one.

                If it was you, sign in at {new Uri(portal, "/portal/signin")}. If it was not, you need not do anything: nothing changed.
                """), cancellationToken)
            : SendConfirmationAsync(existing, portal, firstTime: false, cancellationToken);

    private async Task SendConfirmationAsync(DragonUser user, Uri portal, bool firstTime, CancellationToken cancellationToken)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = new Uri(portal, $"/portal/confirm-email?user={user.Id}&token={Uri.EscapeDataString(token)}");
        var password = firstTime ? "" : "\nSign in with the password you chose when you first registered.\n";
        await email.SendAsync(new EmailMessage(user.Email!, "Confirm your Dragon account",
            $"""
            Someone, we hope you, registered a patient account at Dragon with this address. To confirm it, open this link within a day:

            {link}
            {password}
            If it was not you, ignore this e-mail: the account cannot be used without the link.
            """), cancellationToken);
    }
}
