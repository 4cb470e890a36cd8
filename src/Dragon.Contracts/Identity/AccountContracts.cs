namespace Dragon.Contracts.Identity;

/// <summary>A patient signing themselves up.</summary>
public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

/// <summary>An administrator creating an account with its roles.</summary>
public sealed record CreateUserRequest(string? Email, string? Password, string? DisplayName, IReadOnlyList<string>? Roles);

public sealed record UserResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles);
