namespace Dragon.Contracts.Identity;

/// <summary>A patient signing themselves up.</summary>
public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

/// <summary>The same answer whether the address had an account or not; the address's owner learns which by e-mail.</summary>
public sealed record RegisterResponse(string Message);

/// <summary>The link from the confirmation e-mail: the account and its token.</summary>
public sealed record ConfirmEmailRequest(Guid? UserId, string? Token);

/// <summary>An administrator creating an account with its roles.</summary>
public sealed record CreateUserRequest(string? Email, string? Password, string? DisplayName, IReadOnlyList<string>? Roles);

public sealed record UserResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>A patient erases their own account (GDPR art. 17), confirming with their password.</summary>
public sealed record AccountErasureRequest(string? Password);

/// <param name="ConsentsWithdrawn">The patient's consents withdrawn by the erasure.</param>
/// <param name="HospitalsToConfirm">Hospitals whose agents still have to read the withdrawals before the pseudonym is removed there too.</param>
public sealed record AccountErasureResponse(int ConsentsWithdrawn, int HospitalsToConfirm);
