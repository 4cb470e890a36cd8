namespace Dragon.Platform.Identity;

/// <summary>The roles of the platform. <see cref="PartnerNode"/> is carried by node tokens, never by a user.</summary>
public static class DragonRoles
{
    public const string Admin = "Admin";
    public const string DataSteward = "DataSteward";
    public const string Researcher = "Researcher";
    public const string Patient = "Patient";
    public const string Auditor = "Auditor";
    public const string PartnerNode = "PartnerNode";

    public static IReadOnlyList<string> UserRoles { get; } = [Admin, DataSteward, Researcher, Patient, Auditor];

    public static IReadOnlyList<string> All { get; } = [.. UserRoles, PartnerNode];

    public static bool IsUserRole(string role) => UserRoles.Contains(role, StringComparer.Ordinal);
}
