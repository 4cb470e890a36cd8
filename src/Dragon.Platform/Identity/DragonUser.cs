using Microsoft.AspNetCore.Identity;

namespace Dragon.Platform.Identity;

/// <summary>A person who signs in: patient, steward, researcher, auditor or administrator.</summary>
public sealed class DragonUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}
