using Microsoft.AspNetCore.Identity;

namespace Dragon.Platform.Identity;

/// <summary>
/// A sign-in with an e-mail address no account has costs what a known one does: the password is hashed all the same,
/// so the time of the answer does not tell whether the address has an account. Registration spends it the same way.
/// </summary>
public static class UnknownAccount
{
    private static readonly DragonUser Nobody = new();

    public static void SpendPasswordCheck(IPasswordHasher<DragonUser> hasher, string? password) =>
        _ = hasher.HashPassword(Nobody, password ?? "");
}
