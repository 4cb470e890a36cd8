namespace Dragon.Platform.Identity;

/// <summary>The named permissions that routes require; <c>policies/permissions.json</c> says which roles hold each.</summary>
public static class Permissions
{
    public const string CohortsRead = "cohorts.read";
    public const string CohortsPublish = "cohorts.publish";
    public const string CohortStewardsManage = "cohorts.stewards.manage";
    public const string UsersManage = "users.manage";
    public const string UsersSelf = "users.self";
    public const string NodesIssueEnrollmentTokens = "nodes.enrollment-tokens.issue";
    public const string NodesList = "nodes.list";
    public const string NodesRead = "nodes.read";
    public const string NodesDecide = "nodes.decide";
    public const string NodesReinstate = "nodes.reinstate";
    public const string NodesSelf = "nodes.self";
    public const string JobsDashboard = "jobs.dashboard";
    public const string AuditRead = "audit.read";
    public const string ConsentsManage = "consents.manage";
    public const string ConsentsSelf = "consents.self";
    public const string ConsentsFhir = "consents.fhir";
    public const string AccessRequest = "access.request";
    public const string AccessRead = "access.read";
    public const string AccessDecide = "access.decide";
    public const string AgreementsRead = "agreements.read";
    public const string AgreementsRevoke = "agreements.revoke";
    public const string KeySetsCreate = "keysets.create";
    public const string KeySetsRead = "keysets.read";
    public const string JobsSubmit = "jobs.submit";
    public const string JobsRead = "jobs.read";
    public const string JobsCancel = "jobs.cancel";

    public static IReadOnlyList<string> All { get; } =
    [
        CohortsRead, CohortsPublish, CohortStewardsManage, UsersManage, UsersSelf,
        NodesIssueEnrollmentTokens, NodesList, NodesRead, NodesDecide, NodesReinstate, NodesSelf, JobsDashboard, AuditRead,
        ConsentsManage, ConsentsSelf, ConsentsFhir,
        AccessRequest, AccessRead, AccessDecide, AgreementsRead, AgreementsRevoke,
        KeySetsCreate, KeySetsRead, JobsSubmit, JobsRead, JobsCancel,
    ];
}
