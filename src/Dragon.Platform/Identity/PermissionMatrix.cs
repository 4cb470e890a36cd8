using Dragon.Platform.Policies;

namespace Dragon.Platform.Identity;

/// <summary>Who holds which permission, read from <c>policies/permissions.json</c> at start-up.</summary>
public sealed class PermissionMatrix
{
    public const string FileName = "permissions.json";

    private readonly Dictionary<string, string[]> _roles;

    public PermissionMatrix(IReadOnlyDictionary<string, string[]> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        foreach (var permission in Permissions.All.Where(p => !roles.ContainsKey(p)))
        {
            throw new PolicyException($"policy.permissions.missing_permission: {FileName} does not say who holds '{permission}'.");
        }
        foreach (var (permission, holders) in roles)
        {
            if (!Permissions.All.Contains(permission))
            {
                throw new PolicyException($"policy.permissions.unknown_permission: '{permission}' is not a permission of the platform.");
            }
            foreach (var role in holders.Where(role => !DragonRoles.All.Contains(role)))
            {
                throw new PolicyException($"policy.permissions.unknown_role: '{role}' (for '{permission}') is not a role of the platform.");
            }
        }
        _roles = roles.ToDictionary(pair => pair.Key, pair => pair.Value.Distinct().ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> RolesFor(string permission) =>
        _roles.TryGetValue(permission, out var roles) ? roles : throw new ArgumentOutOfRangeException(nameof(permission), permission, "Unknown permission.");

    public bool Allows(string role, string permission) => RolesFor(permission).Contains(role, StringComparer.Ordinal);

    public static PermissionMatrix Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "permissions", root => new PermissionMatrix(
            root.GetProperty("permissions").EnumerateObject().ToDictionary(
                property => property.Name,
                property => property.Value.EnumerateArray().Select(role => role.GetString() ?? "").ToArray())));
}
